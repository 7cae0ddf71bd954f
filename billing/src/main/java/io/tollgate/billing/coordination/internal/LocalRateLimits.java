package io.tollgate.billing.coordination.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.tollgate.billing.coordination.RateDecision;
import io.tollgate.billing.coordination.RateLimits;
import reactor.core.publisher.Mono;

/**
 * Rate limits for a single node: Bucket4j buckets in memory, forgotten when idle.
 */
public final class LocalRateLimits implements RateLimits {

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.expireAfterAccess(Duration.ofHours(1))
		.maximumSize(1_000_000)
		.build();

	@Override
	public Mono<RateDecision> tryConsume(String scope, long limit, Duration period, long amount) {
		return Mono.fromSupplier(() -> decision(bucket(scope, limit, period).tryConsumeAndReturnRemaining(amount)));
	}

	@Override
	public Mono<Void> consumeUsed(String scope, long limit, Duration period, long amount) {
		return Mono.fromRunnable(() -> bucket(scope, limit, period).consumeIgnoringRateLimits(amount));
	}

	@Override
	public Mono<RateDecision> check(String scope, long limit, Duration period) {
		return Mono.fromSupplier(() -> decision(bucket(scope, limit, period).estimateAbilityToConsume(1)));
	}

	private Bucket bucket(String scope, long limit, Duration period) {
		return this.buckets.get(BucketConfigurations.key(scope, limit, period),
				(key) -> Bucket.builder().addLimit(BucketConfigurations.of(limit, period).getBandwidths()[0]).build());
	}

	static RateDecision decision(ConsumptionProbe probe) {
		return probe.isConsumed() ? RateDecision.allow(probe.getRemainingTokens())
				: RateDecision.deny(Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

	static RateDecision decision(EstimationProbe probe) {
		return probe.canBeConsumed() ? RateDecision.allow(probe.getRemainingTokens())
				: RateDecision.deny(Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

}
