package io.tollgate.billing.coordination;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Rate limits shared by every node, as token buckets (Bucket4j): {@code limit} units per
 * {@code period}, refilled gradually, with a burst of at most {@code limit}.
 */
public interface RateLimits {

	/**
	 * Takes {@code amount} units if they are available.
	 * @param scope what is limited, e.g. {@code rpm:key:42}
	 * @param limit units per period
	 * @param period the period, e.g. one minute
	 * @param amount units to take
	 * @return the decision
	 */
	Mono<RateDecision> tryConsume(String scope, long limit, Duration period, long amount);

	/**
	 * Takes units that were already used, even if that drives the bucket below zero (so
	 * that later requests wait): for amounts only known afterwards, such as tokens.
	 * @param scope what is limited
	 * @param limit units per period
	 * @param period the period
	 * @param amount units used
	 * @return completion
	 */
	Mono<Void> consumeUsed(String scope, long limit, Duration period, long amount);

	/**
	 * Whether the bucket has anything left, without taking from it.
	 * @param scope what is limited
	 * @param limit units per period
	 * @param period the period
	 * @return allowed with what remains, or denied with when one unit will be available
	 */
	Mono<RateDecision> check(String scope, long limit, Duration period);

}
