package io.tollgate.billing.coordination.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.coordination.PermitScope;
import io.tollgate.billing.coordination.Permits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Permits shared through Redis. Each scope is a sorted set of permit ids scored by when
 * their lease ends, on Redis's clock; taking permits drops lapsed ones first, so a node
 * that dies holding permits gives them back after one lease. Live nodes renew the leases
 * of what they hold.
 */
public final class RedisPermits implements Permits, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisPermits.class);

	private static final String NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";

	/** KEYS: scopes; ARGV: lease ms, permit id, then one limit per key. */
	private static final String ACQUIRE = NOW + """
			local lease = tonumber(ARGV[1])
			for i, key in ipairs(KEYS) do
			  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
			  if redis.call('ZCARD', key) >= tonumber(ARGV[i + 2]) then return 0 end
			end
			for i, key in ipairs(KEYS) do
			  redis.call('ZADD', key, now + lease, ARGV[2])
			  redis.call('PEXPIRE', key, lease * 2)
			end
			return 1
			""";

	/** KEYS: scopes; ARGV: lease ms, then one permit id per key. */
	private static final String RENEW = NOW + """
			local lease = tonumber(ARGV[1])
			for i, key in ipairs(KEYS) do
			  redis.call('ZADD', key, 'XX', now + lease, ARGV[i + 1])
			  redis.call('PEXPIRE', key, lease * 2)
			end
			return 1
			""";

	private final RedisConnections redis;

	private final RedisReactiveCommands<String, String> commands;

	private final long leaseMillis;

	private final Map<String, Integer> heldLocally = new ConcurrentHashMap<>();

	private final Map<String, List<String>> held = new ConcurrentHashMap<>();

	private final Disposable renewal;

	public RedisPermits(RedisConnections redis, Duration lease) {
		this.redis = redis;
		this.commands = redis.strings().reactive();
		this.leaseMillis = lease.toMillis();
		Duration every = lease.dividedBy(3);
		this.renewal = Flux.interval(every, every, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> renewAll().onErrorResume((ex) -> {
				logger.warn("Could not renew permit leases in Redis: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public Mono<Permit> tryAcquire(List<PermitScope> scopes) {
		if (scopes.isEmpty()) {
			return Mono.just(() -> {
			});
		}
		String id = UUID.randomUUID().toString();
		String[] keys = new String[scopes.size()];
		String[] args = new String[scopes.size() + 2];
		args[0] = Long.toString(this.leaseMillis);
		args[1] = id;
		for (int i = 0; i < keys.length; i++) {
			keys[i] = this.redis.key("permits", scopes.get(i).name());
			args[i + 2] = Integer.toString(scopes.get(i).limit());
		}
		return this.commands.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER, keys, args)
			.next()
			.filter((taken) -> taken == 1L)
			.map((taken) -> hold(id, scopes, keys));
	}

	private Permit hold(String id, List<PermitScope> scopes, String[] keys) {
		this.held.put(id, List.of(keys));
		scopes.forEach((scope) -> this.heldLocally.merge(scope.name(), 1, Integer::sum));
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (!released.compareAndSet(false, true)) {
				return;
			}
			scopes.forEach((scope) -> this.heldLocally.computeIfPresent(scope.name(),
					(name, count) -> (count <= 1) ? null : count - 1));
			// forgotten once Redis has it: a node closing meanwhile releases it again
			Flux.fromArray(keys)
				.flatMap((key) -> this.commands.zrem(key, id))
				.then()
				.doOnSuccess((done) -> this.held.remove(id))
				.subscribe(null, (ex) -> logger.warn("Could not release a permit in Redis (its lease will lapse): {}",
						ex.toString()));
		};
	}

	private Mono<Void> renewAll() {
		return Flux.fromIterable(this.held.entrySet()).flatMap((entry) -> {
			List<String> keys = entry.getValue();
			String[] args = new String[keys.size() + 1];
			args[0] = Long.toString(this.leaseMillis);
			for (int i = 0; i < keys.size(); i++) {
				args[i + 1] = entry.getKey();
			}
			return this.commands.eval(RENEW, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args);
		}, 16).then();
	}

	@Override
	public int heldLocally(String scope) {
		return this.heldLocally.getOrDefault(scope, 0);
	}

	/**
	 * Stops renewing and gives back, in Redis, every permit this node still holds or is
	 * releasing, so a stopping node leaves no permit to lapse.
	 */
	@Override
	public void close() {
		this.renewal.dispose();
		if (this.held.isEmpty()) {
			return;
		}
		try {
			Flux.fromIterable(this.held.entrySet())
				.flatMap((entry) -> Flux.fromIterable(entry.getValue())
					.flatMap((key) -> this.commands.zrem(key, entry.getKey()))
					.then(Mono.fromRunnable(() -> this.held.remove(entry.getKey()))))
				.then()
				.block(Duration.ofSeconds(5));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release {} permits in Redis at shutdown (their leases will lapse): {}",
					this.held.size(), ex.toString());
		}
	}

}
