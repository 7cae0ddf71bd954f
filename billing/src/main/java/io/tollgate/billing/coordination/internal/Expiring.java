package io.tollgate.billing.coordination.internal;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * A value that carries its own time to live, for Caffeine's per-entry expiry.
 *
 * @param <V> the value type
 * @param value the value
 * @param ttlNanos time to live from the last write, or {@code -1} to keep the current
 * expiry, or {@link Long#MAX_VALUE} for ever
 */
record Expiring<V>(V value, long ttlNanos) {

	static final long KEEP = -1;

	static <V> Expiry<String, Expiring<V>> expiry() {
		return new Expiry<>() {

			@Override
			public long expireAfterCreate(String key, Expiring<V> entry, long currentTime) {
				return (entry.ttlNanos() == KEEP) ? Long.MAX_VALUE : entry.ttlNanos();
			}

			@Override
			public long expireAfterUpdate(String key, Expiring<V> entry, long currentTime, long currentDuration) {
				return (entry.ttlNanos() == KEEP) ? currentDuration : entry.ttlNanos();
			}

			@Override
			public long expireAfterRead(String key, Expiring<V> entry, long currentTime, long currentDuration) {
				return currentDuration;
			}

		};
	}

}
