package io.tollgate.billing.coordination;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Named integer counters shared by every node, such as spend in a window in sub-cent
 * units, or money reserved against a balance. Each may expire.
 */
public interface Counters {

	/**
	 * The counter's value.
	 * @param name the counter
	 * @return its value, 0 when absent
	 */
	Mono<Long> get(String name);

	/**
	 * Adds to a counter.
	 * @param name the counter
	 * @param delta amount to add (may be negative)
	 * @param ttl how long the counter lives after this change, or {@code null} to keep
	 * its expiry
	 * @return the new value
	 */
	Mono<Long> add(String name, long delta, Duration ttl);

	/**
	 * Adds to a counter only if the result stays at or below a ceiling, atomically.
	 * @param name the counter
	 * @param delta amount to add
	 * @param ceiling highest value allowed
	 * @param ttl how long the counter lives after this change, or {@code null} to keep
	 * its expiry
	 * @return the new value, or empty when the ceiling would be crossed
	 */
	Mono<Long> addWithin(String name, long delta, long ceiling, Duration ttl);

	/**
	 * Adds as much of an amount as keeps a counter at or below a ceiling, atomically,
	 * provided that is at least a minimum and the counter is below a threshold: a
	 * reservation that may be smaller than asked, but never crosses the ceiling, however
	 * many nodes take from one counter at once.
	 * @param name the counter
	 * @param delta the most to add (not negative)
	 * @param minimum the least worth adding
	 * @param ceiling highest value allowed
	 * @param openBelow refuse when the counter is already at or above this
	 * @param ttl how long the counter lives after this change, or {@code null} to keep
	 * its expiry
	 * @return what was added, or {@link Taken#refused()} with the counter's value
	 */
	Mono<Taken> addUpTo(String name, long delta, long minimum, long ceiling, long openBelow, Duration ttl);

	/**
	 * Sets a counter, e.g. when rebuilding it from the database.
	 * @param name the counter
	 * @param value the value
	 * @param ttl how long it lives, or {@code null} for ever
	 * @return completion
	 */
	Mono<Void> set(String name, long value, Duration ttl);

	/**
	 * Sets a counter only if it does not exist, e.g. to rebuild it from the database
	 * after a restart or a Redis flush without overwriting what other nodes counted.
	 * @param name the counter
	 * @param value the value
	 * @param ttl how long it lives, or {@code null} for ever
	 * @return whether it was set
	 */
	Mono<Boolean> setIfAbsent(String name, long value, Duration ttl);

	/**
	 * What {@link #addUpTo} did.
	 *
	 * @param added the amount added, or {@code -1} when refused
	 * @param before the counter's value before
	 */
	record Taken(long added, long before) {

		public boolean granted() {
			return this.added >= 0;
		}

	}

}
