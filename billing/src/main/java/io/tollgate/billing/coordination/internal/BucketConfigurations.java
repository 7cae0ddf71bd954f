package io.tollgate.billing.coordination.internal;

import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;

/**
 * The one bucket shape Tollgate uses: {@code limit} per {@code period}, refilled
 * gradually, full at the start. The limit is part of the bucket's name, so a changed
 * limit starts a fresh bucket instead of inheriting the old one's shape.
 */
final class BucketConfigurations {

	private BucketConfigurations() {
	}

	static BucketConfiguration of(long limit, Duration period) {
		return BucketConfiguration.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit).refillGreedy(limit, period))
			.build();
	}

	static String key(String scope, long limit, Duration period) {
		return scope + ":" + limit + "/" + period.toMillis();
	}

}
