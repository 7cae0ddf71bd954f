package io.tollgate.gateway.fake;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A latch that holds responses before their first byte until it is released, so a test
 * can pile up concurrent upstream requests and look at them. Obtain one from
 * {@link FakeUpstream#hold()} (holds every request) or create one and attach it to a
 * single {@link Step#heldBy step}.
 */
public final class Gate {

	private final Sinks.Empty<Void> opened = Sinks.empty();

	private final AtomicBoolean released = new AtomicBoolean();

	private final AtomicInteger waiting = new AtomicInteger();

	/** Lets every held response, and every later one, proceed. Idempotent. */
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.opened.emitEmpty(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		}
	}

	/** How many responses are waiting on this gate right now. */
	public int waiting() {
		return this.waiting.get();
	}

	/** Whether {@link #release()} was called. */
	public boolean isReleased() {
		return this.released.get();
	}

	Mono<Void> pass() {
		return this.opened.asMono()
			.doOnSubscribe((subscription) -> this.waiting.incrementAndGet())
			.doFinally((signal) -> this.waiting.decrementAndGet());
	}

}
