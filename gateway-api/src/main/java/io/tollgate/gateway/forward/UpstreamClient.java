package io.tollgate.gateway.forward;

import java.time.Duration;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends requests to upstream accounts over pooled, kept-alive connections and hands back
 * the response head as soon as it arrives, leaving the body to be streamed.
 */
public class UpstreamClient implements AutoCloseable {

	private final ConnectionProvider pool;

	private final HttpClient http;

	public UpstreamClient(int maxConnections, Duration connectTimeout) {
		this.pool = ConnectionProvider.builder("tollgate-upstream")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(50))
			.evictInBackground(Duration.ofSeconds(30))
			.build();
		this.http = HttpClient.create(this.pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
			.keepAlive(true)
			.compress(false);
	}

	/**
	 * Posts a body.
	 * @param url full URL
	 * @param headers sets the request headers
	 * @param body the bytes to send
	 * @param responseTimeout longest wait for the head, and between reads of the body
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> post(String url, Consumer<HttpHeaders> headers, byte[] body,
			Duration responseTimeout) {
		return this.http.headers(headers)
			.responseTimeout(responseTimeout)
			.post()
			.uri(url)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
			.responseConnection((response, connection) -> Mono
				.just(new UpstreamResponse(response.status().code(), response.responseHeaders(), connection)))
			.next();
	}

	/**
	 * Gets a URL, for connection tests and model lists.
	 * @param url full URL
	 * @param headers sets the request headers
	 * @param responseTimeout longest wait
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> get(String url, Consumer<HttpHeaders> headers, Duration responseTimeout) {
		return this.http.headers(headers)
			.responseTimeout(responseTimeout)
			.get()
			.uri(url)
			.responseConnection((response, connection) -> Mono
				.just(new UpstreamResponse(response.status().code(), response.responseHeaders(), connection)))
			.next();
	}

	@Override
	public void close() {
		this.pool.dispose();
	}

}
