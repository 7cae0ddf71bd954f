package io.tollgate.billing.coordination.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.billing.coordination.Counters;
import reactor.core.publisher.Mono;

/**
 * Counters for a single node, in memory.
 */
public final class LocalCounters implements Counters {

	private final Cache<String, Expiring<Long>> counters = Caffeine.newBuilder()
		.expireAfter(Expiring.<Long>expiry())
		.build();

	@Override
	public Mono<Long> get(String name) {
		return Mono.fromSupplier(() -> {
			Expiring<Long> entry = this.counters.getIfPresent(name);
			return (entry != null) ? entry.value() : 0L;
		});
	}

	@Override
	public Mono<Long> add(String name, long delta, Duration ttl) {
		return Mono.fromSupplier(() -> this.counters.asMap()
			.compute(name, (key, old) -> new Expiring<>(((old != null) ? old.value() : 0L) + delta, ttl(ttl)))
			.value());
	}

	@Override
	public Mono<Long> addWithin(String name, long delta, long ceiling, Duration ttl) {
		return Mono.fromSupplier(() -> {
			long[] result = { 0 };
			boolean[] refused = { false };
			this.counters.asMap().compute(name, (key, old) -> {
				long current = (old != null) ? old.value() : 0L;
				if (current + delta > ceiling) {
					refused[0] = true;
					return old;
				}
				result[0] = current + delta;
				return new Expiring<>(result[0], ttl(ttl));
			});
			return refused[0] ? null : result[0];
		});
	}

	@Override
	public Mono<Taken> addUpTo(String name, long delta, long minimum, long ceiling, long openBelow, Duration ttl) {
		return Mono.fromSupplier(() -> {
			Taken[] result = new Taken[1];
			this.counters.asMap().compute(name, (key, old) -> {
				long current = (old != null) ? old.value() : 0L;
				long add = Math.min(delta, ceiling - current);
				if (current >= openBelow || add < minimum || add < 0) {
					result[0] = new Taken(-1, current);
					return old;
				}
				result[0] = new Taken(add, current);
				return new Expiring<>(current + add, ttl(ttl));
			});
			return result[0];
		});
	}

	@Override
	public Mono<Void> set(String name, long value, Duration ttl) {
		return Mono.fromRunnable(
				() -> this.counters.put(name, new Expiring<>(value, (ttl != null) ? ttl.toNanos() : Long.MAX_VALUE)));
	}

	@Override
	public Mono<Boolean> setIfAbsent(String name, long value, Duration ttl) {
		return Mono.fromSupplier(() -> this.counters.asMap()
			.putIfAbsent(name, new Expiring<>(value, (ttl != null) ? ttl.toNanos() : Long.MAX_VALUE)) == null);
	}

	private static long ttl(Duration ttl) {
		return (ttl != null) ? ttl.toNanos() : Expiring.KEEP;
	}

}
