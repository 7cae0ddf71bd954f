package io.tollgate.billing.coordination.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanStream;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.tollgate.billing.coordination.Bindings;
import reactor.core.publisher.Mono;

/**
 * Bindings shared through Redis, each a string key with an expiry.
 */
public final class RedisBindings implements Bindings {

	private final RedisConnections redis;

	private final RedisReactiveCommands<String, String> commands;

	public RedisBindings(RedisConnections redis) {
		this.redis = redis;
		this.commands = redis.strings().reactive();
	}

	@Override
	public Mono<String> get(String key, Duration slide) {
		return (slide != null) ? this.commands.getex(key(key), GetExArgs.Builder.px(slide.toMillis()))
				: this.commands.get(key(key));
	}

	@Override
	public Mono<Void> put(String key, String value, Duration ttl) {
		return this.commands.set(key(key), value, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))).then();
	}

	@Override
	public Mono<Void> remove(String key) {
		return this.commands.del(key(key)).then();
	}

	@Override
	public Mono<Map<String, String>> all(String prefix) {
		String namespace = key("");
		return ScanStream.scan(this.commands, ScanArgs.Builder.matches(escapeGlob(key(prefix)) + "*").limit(500))
			.buffer(200)
			.concatMap((keys) -> this.commands.mget(keys.toArray(String[]::new)))
			.filter(KeyValue::hasValue)
			.collect(TreeMap<String, String>::new,
					(found, entry) -> found.put(entry.getKey().substring(namespace.length()), entry.getValue()))
			.map((found) -> (Map<String, String>) found);
	}

	private static String escapeGlob(String text) {
		return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

	private String key(String name) {
		return this.redis.key("binding", name);
	}

}
