package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * A small Reactor Netty client for the fake's own tests: one connection per request, SSE
 * split into frames.
 */
final class FakeClient {

	private final HttpClient client;

	FakeClient(String baseUrl) {
		this.client = HttpClient.create(ConnectionProvider.newConnection()).baseUrl(baseUrl);
	}

	Mono<Reply> post(String path, Map<String, String> headers, String body) {
		return this.client.headers((h) -> headers.forEach(h::set))
			.post()
			.uri(path)
			.send(ByteBufMono.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), response.responseHeaders(), text)));
	}

	Mono<Reply> get(String path, Map<String, String> headers) {
		return this.client.headers((h) -> headers.forEach(h::set))
			.get()
			.uri(path)
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), response.responseHeaders(), text)));
	}

	/**
	 * The SSE frames of a streamed answer, each with its trailing blank line, as they
	 * arrive.
	 */
	Flux<String> frames(String path, Map<String, String> headers, String body) {
		Flux<String> chunks = this.client.headers((h) -> headers.forEach(h::set))
			.post()
			.uri(path)
			.send(ByteBufMono.fromString(Mono.just(body)))
			.responseContent()
			.asString(StandardCharsets.UTF_8);
		return Flux.defer(() -> {
			StringBuilder buffer = new StringBuilder();
			return chunks.concatMapIterable((chunk) -> {
				buffer.append(chunk);
				List<String> frames = new ArrayList<>();
				for (int end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
					frames.add(buffer.substring(0, end + 2));
					buffer.delete(0, end + 2);
				}
				return frames;
			});
		});
	}

	/** The {@code data:} payload of a frame. */
	static String data(String frame) {
		return frame.lines().filter((line) -> line.startsWith("data: ")).findFirst().orElseThrow().substring(6);
	}

	/** The {@code data:} payload of a frame, parsed. */
	static JsonNode json(String frame) {
		return Protocol.JSON.readTree(data(frame));
	}

	/** The {@code event:} name of a frame, or {@code null}. */
	static String event(String frame) {
		return frame.lines()
			.filter((line) -> line.startsWith("event: "))
			.map((line) -> line.substring(7))
			.findFirst()
			.orElse(null);
	}

	record Reply(int status, HttpHeaders headers, String body) {

		JsonNode json() {
			return Protocol.JSON.readTree(this.body);
		}

	}

}
