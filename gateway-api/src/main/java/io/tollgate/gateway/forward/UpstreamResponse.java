package io.tollgate.gateway.forward;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * An upstream response whose head has arrived and whose body has not been read yet. The
 * body must be read once, or the response discarded, so the connection goes back to the
 * pool or is closed.
 *
 * @param status HTTP status
 * @param headers response headers
 * @param connection the connection carrying the body
 */
public record UpstreamResponse(int status, HttpHeaders headers, Connection connection) {

	public boolean successful() {
		return this.status >= 200 && this.status < 300;
	}

	/**
	 * The body as it arrives, chunk by chunk; cancelling it closes the connection. Each
	 * chunk is copied by {@code map} while Reactor Netty still holds the buffer (it
	 * releases it when {@code onNext} returns). Not {@code asByteArray()}: that is a
	 * {@code handle}, which restores the request's thread locals (its trace scope) around
	 * every chunk, a seventh of the event loops' time on held streams.
	 */
	public Flux<byte[]> body() {
		return this.connection.inbound().receive().map(ByteBufUtil::getBytes).doOnCancel(this.connection::dispose);
	}

	/** The whole body, for small responses (errors, non-streaming answers). */
	public Mono<byte[]> aggregate() {
		return this.connection.inbound().receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]);
	}

	/** Gives up on the body: closes the connection. */
	public void discard() {
		this.connection.dispose();
	}

	public String header(String name) {
		return this.headers.get(name);
	}

}
