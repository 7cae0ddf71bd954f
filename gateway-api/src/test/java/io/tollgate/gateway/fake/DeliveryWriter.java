package io.tollgate.gateway.fake;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tollgate.gateway.fake.Step.Delivery;
import io.tollgate.gateway.fake.Step.Ending;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a {@link Delivery}: waits at its gates and delay, then sends it whole, or cuts
 * it and stalls or drops.
 */
final class DeliveryWriter {

	private DeliveryWriter() {
	}

	static Mono<Void> write(HttpServerResponse response, Delivery delivery, Gate serverGate) {
		Mono<Void> before = Mono.empty();
		if (serverGate != null) {
			before = before.then(serverGate.pass());
		}
		if (delivery.gate() != null) {
			before = before.then(delivery.gate().pass());
		}
		if (!delivery.firstByteDelay().isZero()) {
			before = before.then(Mono.delay(delivery.firstByteDelay()).then());
		}
		return before.then(Mono.defer(() -> {
			Answer answer = delivery.answer();
			response.status(answer.status());
			answer.headers().forEach(response::header);
			return answer.streaming() ? stream(response, delivery) : plain(response, delivery);
		}));
	}

	private static Mono<Void> plain(HttpServerResponse response, Delivery delivery) {
		byte[] body = delivery.answer().body();
		if (delivery.ending() == Ending.COMPLETE) {
			return response.sendByteArray(Mono.just(body)).then();
		}
		if (delivery.cutAfterEvents() == 0) {
			return (delivery.ending() == Ending.STALL) ? Mono.never() : close(response);
		}
		response.header("content-length", Integer.toString(body.length));
		// hide() keeps Reactor Netty from sending a single element as a complete response
		// with its own length.
		Flux<ByteBuf> half = Flux.just(Unpooled.wrappedBuffer(Arrays.copyOf(body, body.length / 2))).hide();
		return end(response.send(half, (buffer) -> true).then(), response, delivery.ending());
	}

	private static Mono<Void> stream(HttpServerResponse response, Delivery delivery) {
		List<byte[]> events = delivery.answer().events();
		if (delivery.ending() != Ending.COMPLETE) {
			events = events.subList(0, Math.min(delivery.cutAfterEvents(), events.size()));
		}
		Flux<ByteBuf> frames;
		if (delivery.eventDelay().isZero()) {
			frames = Flux.fromIterable(events).map(Unpooled::wrappedBuffer);
		}
		else {
			frames = Flux.fromIterable(events)
				.index()
				.concatMap((event) -> (event.getT1() == 0) ? Mono.just(event.getT2())
						: Mono.delay(delivery.eventDelay()).thenReturn(event.getT2()))
				.map(Unpooled::wrappedBuffer);
		}
		// Streams send their headers at once, as real upstreams do, so a stall after zero
		// events is a silent 200.
		Mono<Void> sent = response.sendHeaders().send(frames, (buffer) -> true).then();
		return end(sent, response, delivery.ending());
	}

	private static Mono<Void> end(Mono<Void> sent, HttpServerResponse response, Ending ending) {
		return switch (ending) {
			case COMPLETE -> sent;
			case STALL -> sent.then(Mono.never());
			case DROP -> sent.then(close(response));
		};
	}

	/**
	 * Closes the TCP connection mid-response; the exchange then stays open until Reactor
	 * Netty disposes it.
	 */
	private static Mono<Void> close(HttpServerResponse response) {
		AtomicReference<Connection> connection = new AtomicReference<>();
		response.withConnection(connection::set);
		return Mono.<Void>create((sink) -> connection.get().channel().close().addListener((future) -> sink.success()))
			.then(Mono.never());
	}

}
