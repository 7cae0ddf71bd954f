package io.tollgate.gateway.fake;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One scripted behaviour of the fake, used once unless told otherwise: an answer plus how
 * it is delivered (held, delayed, cut short). Created by a {@link Script}; the modifiers
 * return this step so they chain: <pre>
 * fake.script("sk-a").overloaded().times(2);
 * fake.script("sk-b").stallAfterEvents(3).delayFirstByte(Duration.ofMillis(200));
 * </pre>
 */
public final class Step {

	/** How a delivery ends. */
	enum Ending {

		/** The whole answer is sent and the exchange completes. */
		COMPLETE,
		/**
		 * After the cut the connection stays open and silent until the client goes away.
		 */
		STALL,
		/**
		 * After the cut the TCP connection is closed without finishing the HTTP response.
		 */
		DROP

	}

	private final Function<Incoming, Answer> answer;

	private volatile int remaining = 1;

	private volatile Duration firstByteDelay = Duration.ZERO;

	private volatile Duration eventDelay = Duration.ZERO;

	private volatile Ending ending = Ending.COMPLETE;

	private volatile int cutAfterEvents;

	private volatile Gate gate;

	private volatile boolean splitCharacters;

	private volatile Map<String, String> extraHeaders = Map.of();

	Step(Function<Incoming, Answer> answer) {
		this.answer = answer;
	}

	/** Applies to the next {@code count} matching requests. */
	public Step times(int count) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1");
		}
		this.remaining = count;
		return this;
	}

	/**
	 * Applies to every later matching request; steps queued behind it are never reached.
	 */
	public Step always() {
		this.remaining = -1;
		return this;
	}

	/** Waits this long after receiving the request before sending the status line. */
	public Step delayFirstByte(Duration delay) {
		this.firstByteDelay = Objects.requireNonNull(delay);
		return this;
	}

	/** Waits this long between SSE frames. */
	public Step eventDelay(Duration delay) {
		this.eventDelay = Objects.requireNonNull(delay);
		return this;
	}

	/**
	 * Sends the status, headers and the first {@code count} SSE frames, then goes silent
	 * with the connection open. For a plain answer, 0 sends nothing at all and any larger
	 * count sends the headers and half the body.
	 */
	public Step stallAfterEvents(int count) {
		return cut(Ending.STALL, count);
	}

	/**
	 * Sends the status, headers and the first {@code count} SSE frames, then closes the
	 * TCP connection without ending the chunked body. For a plain answer, 0 closes before
	 * any byte and any larger count closes after the headers and half the body.
	 */
	public Step dropConnectionAfterEvents(int count) {
		return cut(Ending.DROP, count);
	}

	/**
	 * Writes each SSE frame in two writes, cut inside its first multi-byte UTF-8
	 * character (or in its middle when it has none), so that a character arrives split
	 * across network reads. With {@link #eventDelay} the halves go out that far apart.
	 */
	public Step splitCharactersAcrossWrites() {
		this.splitCharacters = true;
		return this;
	}

	/**
	 * Adds these response headers to the answer, whatever it is (e.g. rate-limit headers
	 * on a success).
	 */
	public Step withHeaders(Map<String, String> headers) {
		this.extraHeaders = Map.copyOf(headers);
		return this;
	}

	/** Holds this answer before its first byte until the gate is released. */
	public Step heldBy(Gate gate) {
		this.gate = Objects.requireNonNull(gate);
		return this;
	}

	private Step cut(Ending ending, int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative");
		}
		this.ending = ending;
		this.cutAfterEvents = count;
		return this;
	}

	/** Takes one use; returns whether the step is used up afterwards. */
	synchronized boolean consume() {
		if (this.remaining < 0) {
			return false;
		}
		this.remaining--;
		return this.remaining == 0;
	}

	Delivery deliver(Incoming request) {
		Answer answer = this.answer.apply(request);
		if (this.splitCharacters && answer.streaming()) {
			answer = answer.withEvents(Utf8Split.halves(answer.events()));
		}
		if (!this.extraHeaders.isEmpty()) {
			answer = answer.withHeaders(this.extraHeaders);
		}
		return new Delivery(answer, this.gate, this.firstByteDelay, this.eventDelay, this.ending, this.cutAfterEvents);
	}

	/**
	 * An answer with its delivery settings, ready to be written.
	 *
	 * @param answer what to send
	 * @param gate a gate to pass before the first byte, or {@code null}
	 * @param firstByteDelay the delay before the first byte
	 * @param eventDelay the delay between SSE frames
	 * @param ending how the exchange ends
	 * @param cutAfterEvents for STALL and DROP, how many frames are sent first
	 */
	record Delivery(Answer answer, Gate gate, Duration firstByteDelay, Duration eventDelay, Ending ending,
			int cutAfterEvents) {

		static Delivery of(Answer answer) {
			return new Delivery(answer, null, Duration.ZERO, Duration.ZERO, Ending.COMPLETE, 0);
		}

	}

}
