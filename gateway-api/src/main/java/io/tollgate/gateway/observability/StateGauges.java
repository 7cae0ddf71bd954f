package io.tollgate.gateway.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tollgate.billing.coordination.Bindings;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.billing.usage.UsageRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Gauges of the node's state, read through each feature's own API: account health,
 * cooldowns, breakers, in-flight requests and limits (from the health board, every
 * {@code state-refresh}), sticky bindings (counted at the same pace), and billing's usage
 * backlog, write lag and directory age (read at each scrape; they are cheap).
 */
final class StateGauges implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StateGauges.class);

	/** The prefix of the router's sticky-session bindings. */
	static final String STICKY_PREFIX = "sticky:";

	private final AccountHealthBoard health;

	private final Directory directory;

	private final Bindings bindings;

	private final MeterRegistry registry;

	private final Map<Long, AccountGauges> accounts = new ConcurrentHashMap<>();

	private volatile double stickyBindings;

	private final Disposable refreshing;

	StateGauges(MeterRegistry registry, AccountHealthBoard health, Directory directory, Bindings bindings,
			UsageRecorder recorder, Duration refresh) {
		this.health = health;
		this.directory = directory;
		this.bindings = bindings;
		this.registry = registry;
		Gauge.builder("tollgate.sticky.bindings", this, (gauges) -> gauges.stickyBindings)
			.description("Live sticky-session bindings (shared by every node with Redis)")
			.register(registry);
		if (recorder != null) {
			Gauge.builder("tollgate.usage.journal.backlog", recorder, (r) -> r.backlog().entries())
				.description("Finished requests journaled and not yet written to the database")
				.register(registry);
			Gauge
				.builder("tollgate.usage.journal.oldest.age", recorder,
						(r) -> r.backlog().oldestAge().toMillis() / 1000.0)
				.description("How long the oldest unwritten finished request has waited")
				.baseUnit("seconds")
				.register(registry);
			Gauge.builder("tollgate.usage.write.lag", recorder, (r) -> r.backlog().lastWriteLag().toMillis() / 1000.0)
				.description("Time from the end of a request to its usage record being written, for the last batch")
				.baseUnit("seconds")
				.register(registry);
		}
		Gauge.builder("tollgate.directory.revision.age", directory, (d) -> d.revisionAge().toMillis() / 1000.0)
			.description("Time since this node last knew its configuration to be the database's current revision")
			.baseUnit("seconds")
			.register(registry);
		this.refreshing = Flux.interval(Duration.ZERO, refresh, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> refresh().onErrorResume((ex) -> {
				logger.debug("Refreshing the state gauges failed: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	Mono<Void> refresh() {
		Mono<Void> accounts = (this.health != null) ? this.health.all().doOnNext(this::accounts).then() : Mono.empty();
		Mono<Void> sticky = this.bindings.all(STICKY_PREFIX).doOnNext((all) -> this.stickyBindings = all.size()).then();
		return accounts.then(sticky);
	}

	private void accounts(List<AccountHealth> all) {
		Map<Long, AccountView> views = new HashMap<>();
		for (GroupView group : this.directory.snapshot().groups().values()) {
			for (GroupView.Member member : group.members()) {
				views.putIfAbsent(member.account().id(), member.account());
			}
		}
		Instant now = Instant.now();
		for (AccountHealth health : all) {
			AccountView view = views.get(health.accountId());
			if (view == null) {
				continue;
			}
			AccountGauges gauges = this.accounts.computeIfAbsent(view.id(),
					(id) -> new AccountGauges(this.registry, view.name(), view.concurrencyLimit() != null));
			gauges.state = stateValue(health.state());
			gauges.breaker = breakerValue(health.state());
			Instant until = health.cooldownUntil();
			gauges.cooldownSeconds = (until != null && until.isAfter(now))
					? Duration.between(now, until).toMillis() / 1000.0 : 0;
			gauges.inFlight = health.inFlight();
			gauges.limit = (view.concurrencyLimit() != null) ? view.concurrencyLimit() : Double.NaN;
		}
	}

	static int stateValue(String state) {
		return switch (state) {
			case "cooling_down" -> 1;
			case "half_open" -> 2;
			case "circuit_open" -> 3;
			default -> 0;
		};
	}

	static int breakerValue(String state) {
		return switch (state) {
			case "half_open" -> 1;
			case "circuit_open" -> 2;
			default -> 0;
		};
	}

	@Override
	public void close() {
		this.refreshing.dispose();
	}

	/** The gauges of one account, registered once, read from fields the refresh sets. */
	private static final class AccountGauges {

		volatile double state;

		volatile double breaker;

		volatile double cooldownSeconds;

		volatile double inFlight;

		volatile double limit = Double.NaN;

		AccountGauges(MeterRegistry registry, String name, boolean limited) {
			Tags account = Tags.of("account", name);
			Gauge.builder("tollgate.account.health", this, (g) -> g.state)
				.description("Account health on this node: 0 healthy, 1 cooling down, 2 half open, 3 circuit open")
				.tags(account)
				.register(registry);
			Gauge.builder("tollgate.account.cooldown.remaining", this, (g) -> g.cooldownSeconds)
				.description("Seconds left of an account's cooldown")
				.baseUnit("seconds")
				.tags(account)
				.register(registry);
			Gauge.builder("tollgate.account.breaker.state", this, (g) -> g.breaker)
				.description("An account's circuit breaker on this node: 0 closed, 1 half open, 2 open")
				.tags(account)
				.register(registry);
			Tags scoped = Tags.of("scope", "account", "name", name);
			Gauge.builder("tollgate.inflight.requests", this, (g) -> g.inFlight)
				.description("Requests in flight on this node (holding their concurrency permits)")
				.tags(scoped)
				.register(registry);
			if (limited) {
				Gauge.builder("tollgate.concurrency.limit", this, (g) -> g.limit)
					.description("The concurrency limit of a key or an account")
					.tags(scoped)
					.register(registry);
			}
		}

	}

}
