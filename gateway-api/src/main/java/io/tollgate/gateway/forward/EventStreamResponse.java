package io.tollgate.gateway.forward;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A server-sent-event response that flushes each piece as soon as it is produced: no
 * buffering, no compression, no caching by intermediaries.
 */
final class EventStreamResponse {

	private EventStreamResponse() {
	}

	static Mono<ServerResponse> of(Flux<byte[]> events) {
		return of(events, HttpHeaders.EMPTY);
	}

	/**
	 * @param events the events
	 * @param upstreamHeaders upstream headers passed on to the client
	 */
	static Mono<ServerResponse> of(Flux<byte[]> events, HttpHeaders upstreamHeaders) {
		return ServerResponse.ok()
			.headers((headers) -> headers.addAll(upstreamHeaders))
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("cache-control", "no-cache")
			.header("x-accel-buffering", "no")
			// writeWith, not writeAndFlushWith: Reactor Netty flushes once the events at
			// hand are written,
			// so events that arrive together go out in one write, and one that arrives
			// alone goes out at once
			.body((message, context) -> message.writeWith(events.map(message.bufferFactory()::wrap)));
	}

}
