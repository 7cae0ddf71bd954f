package io.tollgate.gateway.fake;

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

	private final AtomicInteger waiting = new AtomicInteger();

	/** Lets every held response, and every later one, proceed. Idempotent. */
	public void release() {
		this.opened.tryEmitEmpty();
	}

	/** How many responses are waiting on this gate right now. */
	public int waiting() {
		return this.waiting.get();
	}

	/** Whether {@link #release()} was called. */
	public boolean isReleased() {
		return this.opened.scan(reactor.core.Scannable.Attr.TERMINATED) == Boolean.TRUE;
	}

	Mono<Void> pass() {
		return this.opened.asMono()
			.doOnSubscribe((subscription) -> this.waiting.incrementAndGet())
			.doFinally((signal) -> this.waiting.decrementAndGet());
	}

}
