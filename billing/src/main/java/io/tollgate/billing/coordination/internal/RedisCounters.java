package io.tollgate.billing.coordination.internal;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.tollgate.billing.coordination.Counters;
import reactor.core.publisher.Mono;

/**
 * Counters shared through Redis, changed atomically by small scripts.
 */
public final class RedisCounters implements Counters {

	/** KEYS: counter; ARGV: delta, ttl ms (0 keeps the expiry). */
	private static final String ADD = """
			local value = redis.call('INCRBY', KEYS[1], ARGV[1])
			if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return value
			""";

	/**
	 * KEYS: counter; ARGV: delta, ceiling, ttl ms (0 keeps the expiry). Nil when refused.
	 */
	private static final String ADD_WITHIN = """
			local value = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1])
			if value > tonumber(ARGV[2]) then return false end
			redis.call('INCRBY', KEYS[1], ARGV[1])
			if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
			return value
			""";

	/**
	 * KEYS: counter; ARGV: delta, minimum, ceiling, open below, ttl ms (0 keeps the
	 * expiry). Returns {added or -1, value before}. Amounts are formatted back with %.0f:
	 * Lua numbers are doubles, exact for integers up to 2^53 units (about 900,000 of
	 * money).
	 */
	private static final String ADD_UP_TO = """
			local current = tonumber(redis.call('GET', KEYS[1]) or '0')
			local add = math.min(tonumber(ARGV[1]), tonumber(ARGV[3]) - current)
			if current >= tonumber(ARGV[4]) or add < tonumber(ARGV[2]) or add < 0 then return {-1, current} end
			if add > 0 then redis.call('INCRBY', KEYS[1], string.format('%.0f', add)) end
			if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
			return {add, current}
			""";

	private final RedisConnections redis;

	private final RedisReactiveCommands<String, String> commands;

	public RedisCounters(RedisConnections redis) {
		this.redis = redis;
		this.commands = redis.strings().reactive();
	}

	@Override
	public Mono<Long> get(String name) {
		return this.commands.get(key(name)).map(Long::parseLong).defaultIfEmpty(0L);
	}

	@Override
	public Mono<Long> add(String name, long delta, Duration ttl) {
		return this.commands
			.<Long>eval(ADD, ScriptOutputType.INTEGER, new String[] { key(name) }, Long.toString(delta), millis(ttl))
			.next();
	}

	@Override
	public Mono<Long> addWithin(String name, long delta, long ceiling, Duration ttl) {
		return this.commands
			.<Long>eval(ADD_WITHIN, ScriptOutputType.INTEGER, new String[] { key(name) }, Long.toString(delta),
					Long.toString(ceiling), millis(ttl))
			.next();
	}

	@Override
	public Mono<Taken> addUpTo(String name, long delta, long minimum, long ceiling, long openBelow, Duration ttl) {
		return this.commands
			.<List<Object>>eval(ADD_UP_TO, ScriptOutputType.MULTI, new String[] { key(name) }, Long.toString(delta),
					Long.toString(minimum), Long.toString(ceiling), Long.toString(openBelow), millis(ttl))
			.next()
			.map((reply) -> new Taken(((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue()));
	}

	@Override
	public Mono<Void> set(String name, long value, Duration ttl) {
		SetArgs args = (ttl != null) ? SetArgs.Builder.px(ttl.toMillis()) : new SetArgs();
		return this.commands.set(key(name), Long.toString(value), args).then();
	}

	@Override
	public Mono<Boolean> setIfAbsent(String name, long value, Duration ttl) {
		SetArgs args = (ttl != null) ? SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis())) : SetArgs.Builder.nx();
		return this.commands.set(key(name), Long.toString(value), args).map("OK"::equals).defaultIfEmpty(false);
	}

	private String key(String name) {
		return this.redis.key("counter", name);
	}

	private static String millis(Duration ttl) {
		return (ttl != null) ? Long.toString(Math.max(1, ttl.toMillis())) : "0";
	}

}
