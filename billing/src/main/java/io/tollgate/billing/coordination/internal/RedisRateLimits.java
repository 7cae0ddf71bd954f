package io.tollgate.billing.coordination.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.tollgate.billing.coordination.RateDecision;
import io.tollgate.billing.coordination.RateLimits;
import reactor.core.publisher.Mono;

/**
 * Rate limits shared through Redis: Bucket4j buckets updated by compare-and-swap, kept
 * only as long as they take to refill.
 */
public final class RedisRateLimits implements RateLimits {

	private final RedisConnections redis;

	private final AsyncProxyManager<String> buckets;

	public RedisRateLimits(RedisConnections redis) {
		this.redis = redis;
		this.buckets = Bucket4jLettuce.casBasedBuilder(redis.bytes())
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build()
			.asAsync();
	}

	@Override
	public Mono<RateDecision> tryConsume(String scope, long limit, Duration period, long amount) {
		return Mono.fromFuture(() -> bucket(scope, limit, period).tryConsumeAndReturnRemaining(amount))
			.map(LocalRateLimits::decision);
	}

	@Override
	public Mono<Void> consumeUsed(String scope, long limit, Duration period, long amount) {
		return Mono.fromFuture(() -> bucket(scope, limit, period).consumeIgnoringRateLimits(amount)).then();
	}

	@Override
	public Mono<RateDecision> check(String scope, long limit, Duration period) {
		return Mono.fromFuture(() -> bucket(scope, limit, period).estimateAbilityToConsume(1))
			.map(LocalRateLimits::decision);
	}

	private AsyncBucketProxy bucket(String scope, long limit, Duration period) {
		String key = this.redis.key("rate", BucketConfigurations.key(scope, limit, period));
		return this.buckets.builder()
			.build(key, () -> CompletableFuture.completedFuture(BucketConfigurations.of(limit, period)));
	}

}
