package io.tollgate.gateway.forward;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.error.AnthropicErrors;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RequestAdmission;
import io.tollgate.gateway.messages.UsageAccounting;
import io.tollgate.routing.request.MaxTokensRewrite;
import io.tollgate.routing.response.AnthropicResponses;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Forwards to accounts on the Anthropic platform: the client's body byte-faithful but for
 * the model, its {@code anthropic-version} and {@code anthropic-beta} headers, the
 * account's key; and answers with the upstream's response, streamed event by event or
 * whole.
 */
@Component
public class AnthropicForwarder implements Forwarder {

	static final String DEFAULT_VERSION = "2023-06-01";

	private final UpstreamClient upstream;

	private final GatewayProperties properties;

	private final UsageAccounting accounting;

	public AnthropicForwarder(UpstreamClient upstream, GatewayProperties properties, UsageAccounting accounting) {
		this.upstream = upstream;
		this.properties = properties;
		this.accounting = accounting;
	}

	@Override
	public Mono<UpstreamResponse> send(GatewayRequest request, String upstreamModel,
			org.springframework.http.HttpHeaders clientHeaders) {
		byte[] body = request.body().forwardBody(upstreamModel);
		Long clamped = RequestAdmission.clampedMaxTokens(request);
		return post(request, "/v1/messages", clientHeaders,
				(clamped != null) ? MaxTokensRewrite.apply(body, clamped) : body);
	}

	/**
	 * Sends a count_tokens request to the request's account.
	 * @param request the planned request
	 * @param upstreamModel the model to ask the account for
	 * @param clientHeaders the client's headers
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> countTokens(GatewayRequest request, String upstreamModel,
			org.springframework.http.HttpHeaders clientHeaders) {
		return post(request, "/v1/messages/count_tokens", clientHeaders, request.body().forwardBody(upstreamModel));
	}

	/**
	 * Anthropic's own errors are passed on byte-for-byte: clients match on their wording.
	 */
	@Override
	public UpstreamFailure failure(GatewayRequest request, UpstreamResponse response, byte[] body) {
		return new UpstreamFailure(response.status(), response.header("content-type"), response.header("retry-after"),
				body);
	}

	private Mono<UpstreamResponse> post(GatewayRequest request, String path,
			org.springframework.http.HttpHeaders clientHeaders, byte[] body) {
		String credential = request.account().credential().reveal();
		List<String> betas = clientHeaders.getOrEmpty("anthropic-beta");
		String version = clientHeaders.getFirst("anthropic-version");
		String userAgent = clientHeaders.getFirst("user-agent");
		return this.upstream.post(request.eventLoop(), request.account().baseUrl() + path, (headers) -> {
			headers.set("x-api-key", credential);
			headers.set("anthropic-version", (version != null) ? version : DEFAULT_VERSION);
			if (!betas.isEmpty()) {
				headers.set("anthropic-beta", String.join(",", betas));
			}
			headers.set("content-type", "application/json");
			headers.set("accept", "application/json");
			if (userAgent != null) {
				headers.set("user-agent", userAgent);
			}
		}, body, this.properties.firstByteTimeout());
	}

	@Override
	public Mono<ServerResponse> answer(GatewayRequest request, UpstreamResponse response) {
		if (request.body().stream() && isEventStream(response.headers())) {
			return stream(request, response);
		}
		return response.aggregate().flatMap((bytes) -> {
			byte[] body = rewriteWholeMessage(request, bytes);
			this.accounting.finish(request, Outcome.OK, response.status());
			// the bytes are written as they are: no codec to look up for them
			return ServerResponse.status(response.status())
				.contentType(MediaType.APPLICATION_JSON)
				.contentLength(body.length)
				.body((message, context) -> message
					.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body))));
		}).doOnCancel(() -> this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499));
	}

	private Mono<ServerResponse> stream(GatewayRequest request, UpstreamResponse response) {
		AnthropicStreamRelay relay = new AnthropicStreamRelay(request);
		request.whenAnswered(() -> this.accounting.finish(request, Outcome.OK, 200));
		Flux<byte[]> events = response.body()
			.map(relay::onChunk)
			.concatWith(Mono.fromSupplier(() -> ended(relay)))
			.onErrorResume((ex) -> Mono.just(KeepAlive.failureEvent(ex)))
			.filter((bytes) -> bytes.length > 0)
			.transform((relayed) -> KeepAlive.withPings(relayed, this.properties.pingInterval()))
			.doFinally((signal) -> this.accounting.finish(request, outcome(signal, relay), 200));
		return EventStreamResponse.of(events);
	}

	private static byte[] ended(AnthropicStreamRelay relay) {
		byte[] tail = relay.onEnd();
		if (relay.stopped() || relay.failed()) {
			return tail;
		}
		byte[] error = AnthropicErrors.event("api_error", "The upstream stream ended before the message was complete");
		byte[] both = new byte[tail.length + error.length];
		System.arraycopy(tail, 0, both, 0, tail.length);
		System.arraycopy(error, 0, both, tail.length, error.length);
		return both;
	}

	private static Outcome outcome(SignalType signal, AnthropicStreamRelay relay) {
		if (signal == SignalType.CANCEL) {
			return Outcome.CLIENT_CANCELLED;
		}
		return (relay.stopped() && !relay.failed()) ? Outcome.OK : Outcome.UPSTREAM_ERROR;
	}

	private static byte[] rewriteWholeMessage(GatewayRequest request, byte[] bytes) {
		AnthropicResponses.Echo echo = AnthropicResponses.message(bytes, request.requestedModel(), request.usage());
		if (echo == null) {
			return bytes;
		}
		request.usage(echo.usage());
		request.firstToken();
		return echo.json();
	}

	private static boolean isEventStream(HttpHeaders headers) {
		String type = headers.get("content-type");
		return type != null && type.startsWith("text/event-stream");
	}

}
