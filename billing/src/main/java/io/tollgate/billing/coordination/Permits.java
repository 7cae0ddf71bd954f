package io.tollgate.billing.coordination;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Counted concurrency permits shared by every node.
 */
public interface Permits {

	/**
	 * Takes one permit in every scope, all or none, without waiting.
	 * @param scopes the scopes; empty means nothing to take
	 * @return the permit, or empty when any scope is full
	 */
	Mono<Permit> tryAcquire(List<PermitScope> scopes);

	/**
	 * Takes one permit in every scope, waiting up to {@code maxWait} for room.
	 * @param scopes the scopes
	 * @param maxWait how long to wait; zero means do not wait
	 * @return the permit, or empty when there was no room in time
	 */
	default Mono<Permit> acquire(List<PermitScope> scopes, Duration maxWait) {
		if (maxWait.isZero() || maxWait.isNegative()) {
			return tryAcquire(scopes);
		}
		long deadline = System.nanoTime() + maxWait.toNanos();
		return Mono.defer(() -> tryAcquire(scopes))
			.repeatWhenEmpty((attempts) -> attempts.takeWhile((attempt) -> System.nanoTime() < deadline)
				.concatMap((attempt) -> Mono.delay(backoff(attempt, deadline))));
	}

	private static Duration backoff(long attempt, long deadline) {
		long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
		return Duration.ofMillis(Math.min(Math.min(5L << Math.min(attempt, 5), 100), left));
	}

	/**
	 * Permits this node holds in a scope right now: a cheap local load signal for
	 * choosing between accounts, not a cluster-wide count.
	 * @param scope the scope name
	 * @return permits held by this node
	 */
	int heldLocally(String scope);

}
