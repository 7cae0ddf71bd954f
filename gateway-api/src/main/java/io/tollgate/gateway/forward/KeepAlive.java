package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tollgate.gateway.error.AnthropicErrors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps a started event stream alive while its upstream is silent, and says in the stream
 * why it ended when the upstream failed.
 */
final class KeepAlive {

	static final byte[] PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.UTF_8);

	private KeepAlive() {
	}

	/**
	 * Adds a {@code ping} event whenever the events have been silent for the interval.
	 * @param events the client's events, ending without error
	 * @param interval the silence that earns a ping; zero or negative for none
	 * @return the events with pings between them
	 */
	static Flux<byte[]> withPings(Flux<byte[]> events, Duration interval) {
		if (interval.isZero() || interval.isNegative()) {
			return events;
		}
		long silence = interval.toNanos();
		Duration tick = interval.dividedBy(2).isZero() ? interval : interval.dividedBy(2);
		return Flux.defer(() -> {
			Scheduler timer = Schedulers.parallel();
			AtomicLong last = new AtomicLong(timer.now(TimeUnit.NANOSECONDS));
			Sinks.Empty<Void> ended = Sinks.empty();
			Flux<byte[]> tracked = events.doOnNext((bytes) -> last.set(timer.now(TimeUnit.NANOSECONDS)))
				.doOnTerminate(ended::tryEmitEmpty);
			Flux<byte[]> pings = Flux.interval(tick, tick, timer)
				.takeUntilOther(ended.asMono())
				.onBackpressureDrop()
				.filter((t) -> timer.now(TimeUnit.NANOSECONDS) - last.get() >= silence)
				.map((t) -> {
					last.set(timer.now(TimeUnit.NANOSECONDS));
					return PING;
				});
			return Flux.merge(tracked, pings);
		});
	}

	/**
	 * The {@code error} event that ends a stream whose upstream failed after it started.
	 * @param cause the failure
	 * @return the event's bytes
	 */
	static byte[] failureEvent(Throwable cause) {
		if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
			return AnthropicErrors.event("timeout_error", "The upstream went silent for longer than the idle timeout");
		}
		if (cause instanceof reactor.netty.http.client.PrematureCloseException) {
			return AnthropicErrors.event("api_error", "The upstream closed the connection before the stream ended");
		}
		// never an exception's name: it says nothing to the client and tells internals
		return AnthropicErrors.event("api_error", "The upstream stream failed");
	}

}
