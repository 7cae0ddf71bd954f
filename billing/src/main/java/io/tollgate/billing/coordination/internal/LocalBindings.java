package io.tollgate.billing.coordination.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.billing.coordination.Bindings;
import reactor.core.publisher.Mono;

/**
 * Bindings for a single node, in memory.
 */
public final class LocalBindings implements Bindings {

	private final Cache<String, Expiring<String>> values = Caffeine.newBuilder()
		.expireAfter(Expiring.<String>expiry())
		.build();

	@Override
	public Mono<String> get(String key, Duration slide) {
		return Mono.fromSupplier(() -> {
			if (slide == null) {
				Expiring<String> entry = this.values.getIfPresent(key);
				return (entry != null) ? entry.value() : null;
			}
			Expiring<String> entry = this.values.asMap()
				.computeIfPresent(key, (k, old) -> new Expiring<>(old.value(), slide.toNanos()));
			return (entry != null) ? entry.value() : null;
		});
	}

	@Override
	public Mono<Void> put(String key, String value, Duration ttl) {
		return Mono.fromRunnable(() -> this.values.put(key, new Expiring<>(value, ttl.toNanos())));
	}

	@Override
	public Mono<Void> remove(String key) {
		return Mono.fromRunnable(() -> this.values.invalidate(key));
	}

	@Override
	public Mono<Map<String, String>> all(String prefix) {
		return Mono.fromSupplier(() -> {
			Map<String, String> found = new TreeMap<>();
			this.values.asMap().forEach((key, entry) -> {
				if (key.startsWith(prefix)) {
					found.put(key, entry.value());
				}
			});
			return found;
		});
	}

}
