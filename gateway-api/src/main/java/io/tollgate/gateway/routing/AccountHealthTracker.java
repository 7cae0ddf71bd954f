package io.tollgate.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.tollgate.billing.coordination.Bindings;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.billing.health.AccountHealthChange;
import io.tollgate.billing.health.AccountHealthListener;
import io.tollgate.routing.route.CooldownHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What this node knows of each account's health: its cooldown (shared by every node
 * through {@link Bindings}), its circuit breaker (this node's own), its last error and
 * the requests in flight to it. The hot path reads only memory: the shared cooldowns and
 * resets are read into it every {@code health-refresh}, and a node's own events apply at
 * once.
 */
@Component
public class AccountHealthTracker implements AccountHealthBoard, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AccountHealthTracker.class);

	static final String PREFIX = "health:";

	private static final String COOLDOWN = PREFIX + "cooldown:";

	private static final String RESET = PREFIX + "reset:";

	private static final Duration RESET_VISIBLE_FOR = Duration.ofMinutes(2);

	private final Bindings bindings;

	private final Directory directory;

	private final RoutingProperties properties;

	private final CircuitBreakerRegistry breakers;

	private final Map<Long, AccountState> states = new ConcurrentHashMap<>();

	private final Map<Long, String> seenResets = new ConcurrentHashMap<>();

	private final Disposable refreshing;

	private final AccountHealthListener listener;

	public AccountHealthTracker(Bindings bindings, Directory directory, RoutingProperties properties) {
		this(bindings, directory, properties, AccountHealthListener.NONE);
	}

	@Autowired
	AccountHealthTracker(Bindings bindings, Directory directory, RoutingProperties properties,
			ObjectProvider<AccountHealthListener> listener) {
		this(bindings, directory, properties, listener.getIfUnique(() -> AccountHealthListener.NONE));
	}

	/**
	 * A tracker that tells a listener when an account cools down, opens its breaker or
	 * recovers.
	 */
	public AccountHealthTracker(Bindings bindings, Directory directory, RoutingProperties properties,
			AccountHealthListener listener) {
		this.listener = listener;
		this.bindings = bindings;
		this.directory = directory;
		this.properties = properties;
		RoutingProperties.Breaker breaker = properties.breaker();
		this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(breaker.window())
			.minimumNumberOfCalls(breaker.minimumCalls())
			.failureRateThreshold(breaker.failureRate())
			.waitDurationInOpenState(breaker.openFor())
			.permittedNumberOfCallsInHalfOpenState(breaker.probes())
			.build());
		this.refreshing = Flux.interval(properties.healthRefresh(), properties.healthRefresh(), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> refresh().onErrorResume((ex) -> {
				logger.warn("Reading shared account health failed: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/** The state of an account on this node, created on first use. */
	AccountState state(long accountId) {
		AccountState state = this.states.get(accountId);
		return (state != null) ? state : this.states.computeIfAbsent(accountId, (id) -> {
			CircuitBreaker breaker = this.breakers.circuitBreaker("account-" + id);
			breaker.getEventPublisher().onStateTransition((event) -> breakerMoved(id, event.getStateTransition()));
			return new AccountState(id, breaker);
		});
	}

	private void breakerMoved(long accountId, CircuitBreaker.StateTransition transition) {
		AccountHealthChange.Kind kind = switch (transition.getToState()) {
			case OPEN -> AccountHealthChange.Kind.BREAKER_OPEN;
			case CLOSED -> AccountHealthChange.Kind.RECOVERED;
			default -> null;
		};
		if (kind != null) {
			AccountState state = this.states.get(accountId);
			this.listener
				.changed(new AccountHealthChange(accountId, kind, null, (state != null) ? state.lastError : null));
		}
	}

	/**
	 * Whether an account is cooling down now.
	 * @param accountId the account
	 * @return true while its cooldown lasts
	 */
	public boolean coolingDown(long accountId) {
		Cooldown cooldown = state(accountId).cooldown;
		return cooldown != null && cooldown.until().isAfter(Instant.now());
	}

	/**
	 * When an account's cooldown ends.
	 * @param accountId the account
	 * @return the end, or {@code null} when it is not cooling down
	 */
	public Instant cooldownEnd(long accountId) {
		Cooldown cooldown = state(accountId).cooldown;
		return (cooldown != null && cooldown.until().isAfter(Instant.now())) ? cooldown.until() : null;
	}

	/**
	 * Whether an account cools down now because its upstream rate-limited it (429), as
	 * opposed to overload.
	 * @param accountId the account
	 * @return true while a cooldown after a 429 lasts
	 */
	public boolean rateLimited(long accountId) {
		Cooldown cooldown = state(accountId).cooldown;
		return cooldown != null && cooldown.status() == 429 && cooldown.until().isAfter(Instant.now());
	}

	/**
	 * Notes a 429 or 529: the account cools down for as long as the headers ask (within
	 * bounds), on every node.
	 * @param account the account
	 * @param status the upstream status
	 * @param headers the response headers, names in lower case
	 * @param error what to show admins
	 * @return the cooldown
	 */
	public Duration throttled(AccountView account, int status, Map<String, String> headers, String error) {
		Duration wait = CooldownHeaders.wait(headers, Instant.now())
			.orElse((status == 429) ? this.properties.rateLimitCooldown() : this.properties.overloadCooldown());
		if (wait.compareTo(this.properties.maxCooldown()) > 0) {
			wait = this.properties.maxCooldown();
		}
		if (wait.isZero()) {
			wait = Duration.ofSeconds(1);
		}
		Instant until = Instant.now().plus(wait);
		boolean alreadyCooling = coolingDown(account.id());
		AccountState state = state(account.id());
		state.cooldown = new Cooldown(until, System.nanoTime(), status);
		state.error(error);
		if (!alreadyCooling) {
			this.listener
				.changed(new AccountHealthChange(account.id(), AccountHealthChange.Kind.COOLDOWN, until, error));
		}
		this.bindings.put(COOLDOWN + account.id(), until.toEpochMilli() + ":" + status, wait)
			.subscribe(null, (ex) -> logger.warn("Sharing the cooldown of account {} failed: {}", account.name(),
					ex.toString()));
		return wait;
	}

	/**
	 * Notes a failure that counts against the account's breaker.
	 * @param state the account's state
	 * @param error what to show admins
	 * @param nanos how long the attempt took
	 */
	void failed(AccountState state, String error, long nanos) {
		state.error(error);
		state.breaker.onError(nanos, TimeUnit.NANOSECONDS, new AccountFailure(error));
	}

	@Override
	public Mono<List<AccountHealth>> all() {
		return Mono.fromSupplier(() -> {
			Map<Long, AccountView> accounts = new LinkedHashMap<>();
			for (GroupView group : this.directory.snapshot().groups().values()) {
				for (GroupView.Member member : group.members()) {
					accounts.putIfAbsent(member.account().id(), member.account());
				}
			}
			this.states.keySet().forEach((id) -> accounts.putIfAbsent(id, null));
			List<AccountHealth> health = new ArrayList<>(accounts.size());
			Instant now = Instant.now();
			accounts.keySet().stream().sorted().forEach((id) -> health.add(health(id, now)));
			return health;
		});
	}

	private AccountHealth health(long id, Instant now) {
		AccountState state = state(id);
		Cooldown cooldown = state.cooldown;
		Instant until = (cooldown != null && cooldown.until().isAfter(now)) ? cooldown.until() : null;
		String label = switch (state.breaker.getState()) {
			case OPEN, FORCED_OPEN -> "circuit_open";
			case HALF_OPEN -> "half_open";
			default -> (until != null) ? "cooling_down" : "healthy";
		};
		return new AccountHealth(id, label, state.lastError, state.lastErrorAt, until, state.inFlight.get());
	}

	@Override
	public Mono<Void> reset(long accountId) {
		String token = System.currentTimeMillis() + "-" + UUID.randomUUID();
		this.seenResets.put(accountId, token);
		resetLocally(accountId);
		return this.bindings.remove(COOLDOWN + accountId)
			.then(this.bindings.put(RESET + accountId, token, RESET_VISIBLE_FOR));
	}

	/**
	 * Whether a reset token is later than the last one seen: a read that started before
	 * this node's own reset must not reset the account a second time.
	 */
	private static boolean newer(String token, String seen) {
		if (seen == null) {
			return true;
		}
		if (token.equals(seen)) {
			return false;
		}
		return millis(token) >= millis(seen);
	}

	private static long millis(String token) {
		int dash = token.indexOf('-');
		try {
			return Long.parseLong((dash > 0) ? token.substring(0, dash) : token);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private void resetLocally(long accountId) {
		AccountState state = state(accountId);
		state.resetAt = System.nanoTime();
		state.cooldown = null;
		state.lastError = null;
		state.lastErrorAt = null;
		state.breaker.reset();
	}

	/**
	 * Reads the shared cooldowns and resets of the accounts this node knows into its
	 * view: two reads per account, not a scan of every binding (sticky sessions are
	 * bindings too, and there are many of them).
	 */
	Mono<Void> refresh() {
		long started = System.nanoTime();
		Set<Long> ids = new TreeSet<>(this.states.keySet());
		for (GroupView group : this.directory.snapshot().groups().values()) {
			group.members().forEach((member) -> ids.add(member.account().id()));
		}
		return Flux.fromIterable(ids)
			.flatMap((id) -> Flux.just(COOLDOWN + id, RESET + id)
				.flatMap((key) -> this.bindings.get(key, null).map((value) -> Map.entry(key, value))))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.doOnNext((values) -> apply(values, started))
			.then();
	}

	private void apply(Map<String, String> values, long started) {
		Map<Long, Cooldown> cooldowns = new ConcurrentHashMap<>();
		values.forEach((key, value) -> {
			try {
				if (key.startsWith(COOLDOWN)) {
					// "<until epoch millis>:<upstream status>"; a bare time is an
					// overload
					int colon = value.indexOf(':');
					long until = Long.parseLong((colon < 0) ? value : value.substring(0, colon));
					int status = (colon < 0) ? 529 : Integer.parseInt(value.substring(colon + 1));
					cooldowns.put(Long.parseLong(key.substring(COOLDOWN.length())),
							new Cooldown(Instant.ofEpochMilli(until), started, status));
				}
				else if (key.startsWith(RESET)) {
					long id = Long.parseLong(key.substring(RESET.length()));
					if (newer(value, this.seenResets.get(id))) {
						this.seenResets.put(id, value);
						resetLocally(id);
					}
				}
			}
			catch (NumberFormatException ex) {
				logger.debug("Ignoring malformed health entry {}", key);
			}
		});
		cooldowns.keySet().forEach(this::state);
		this.states.values().forEach((state) -> {
			if (state.resetAt - started > 0) {
				// reset while this read was under way: what it read is stale
				return;
			}
			Cooldown shared = cooldowns.get(state.id);
			Cooldown local = state.cooldown;
			if (shared != null) {
				if (local == null || !local.until().equals(shared.until())) {
					state.cooldown = shared;
				}
			}
			else if (local != null && local.setAt() - started < 0) {
				// ended or reset elsewhere; a cooldown set during this read stays
				state.cooldown = null;
			}
		});
	}

	@Override
	public void close() {
		this.refreshing.dispose();
	}

	/** One account on this node. */
	static final class AccountState {

		final long id;

		final CircuitBreaker breaker;

		final AtomicInteger inFlight = new AtomicInteger();

		volatile long lastUsed;

		volatile Cooldown cooldown;

		volatile String lastError;

		volatile Instant lastErrorAt;

		volatile long resetAt = System.nanoTime() - Long.MAX_VALUE / 2;

		AccountState(long id, CircuitBreaker breaker) {
			this.id = id;
			this.breaker = breaker;
		}

		void error(String error) {
			this.lastError = error;
			this.lastErrorAt = Instant.now();
		}

	}

	/**
	 * A cooldown as this node knows it.
	 *
	 * @param until when it ends
	 * @param setAt when this node learnt of it ({@link System#nanoTime()})
	 * @param status the upstream status that caused it: 429 for a rate limit, else
	 * overload
	 */
	record Cooldown(Instant until, long setAt, int status) {
	}

	/** A failed attempt, as the breaker records it. Stackless. */
	static final class AccountFailure extends RuntimeException {

		AccountFailure(String message) {
			super(message, null, false, false);
		}

	}

}
