package io.tollgate.billing.alerts.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.alerts.AlertRule;
import io.tollgate.billing.directory.SpendWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Checks the rules that watch levels (balances, spent windows and quotas, key expiry, the
 * journal backlog) every {@code evaluate-interval}, off the request path. A condition
 * fires once when it starts to hold and again only after it cleared.
 */
public class AlertEvaluator implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AlertEvaluator.class);

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private static final String SUBSCRIPTIONS = """
			SELECT s.id, s.tenant_id, p.name, p.daily_limit, p.weekly_limit, p.monthly_limit
			FROM subscription s JOIN plan p ON p.id = s.plan_id
			WHERE s.status = 'active' AND p.status = 'active'""";

	private static final String WINDOW_SPENT = """
			SELECT SUM(charged_cost) AS spent FROM usage_record
			WHERE charged_to = 'subscription' AND subscription_id = :subscription AND started_at >= :start""";

	private final DatabaseClient db;

	private final AlertRules rules;

	private final AlertOutbox outbox;

	private final LongSupplier journalBacklog;

	private final String node;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-alert-rules", true);

	private Disposable evaluating;

	public AlertEvaluator(DatabaseClient db, AlertRules rules, AlertOutbox outbox, LongSupplier journalBacklog,
			String node) {
		this.db = db;
		this.rules = rules;
		this.outbox = outbox;
		this.journalBacklog = journalBacklog;
		this.node = node;
	}

	/** Starts evaluating every interval. */
	public void start(Duration interval) {
		this.evaluating = Flux.interval(interval, interval, this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> evaluate().onErrorResume((ex) -> {
				logger.warn("Evaluating alert rules failed: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Evaluates every enabled level rule once.
	 * @return how many deliveries were queued
	 */
	public Mono<Integer> evaluate() {
		return this.rules.active()
			.flatMapMany(Flux::fromIterable)
			.filter((rule) -> rule.kind() != AlertKind.ACCOUNT_HEALTH)
			.concatMap(
					(rule) -> holding(rule).collectList()
						.flatMap(
								(events) -> Flux.fromIterable(events)
									.concatMap((event) -> this.outbox.fireOnce(rule, event))
									.filter(Boolean::booleanValue)
									.count()
									.flatMap(
											(fired) -> this.outbox
												.clear(rule.id(),
														new HashSet<>(
																events.stream().map(AlertEvent::subject).toList()))
												.thenReturn(fired))))
			.reduce(0L, Long::sum)
			.map(Long::intValue);
	}

	private Flux<AlertEvent> holding(AlertRule rule) {
		Flux<AlertEvent> events = switch (rule.kind()) {
			case BALANCE_BELOW -> lowBalances(rule);
			case KEY_QUOTA_SPENT -> spentQuotas(rule);
			case KEY_EXPIRING -> expiringKeys(rule);
			case SUBSCRIPTION_WINDOW_SPENT -> spentWindows(rule);
			case JOURNAL_BACKLOG -> backlog(rule);
			case ACCOUNT_HEALTH -> Flux.empty();
		};
		return events.filter((event) -> rule.tenantId() == null || rule.tenantId().equals(event.tenantId()));
	}

	private Flux<AlertEvent> lowBalances(AlertRule rule) {
		BigDecimal threshold = (rule.threshold() != null) ? rule.threshold() : BigDecimal.ZERO;
		boolean percent = "percent".equals(rule.unit());
		return this.db.sql("SELECT id, name, balance, usage_charged FROM tenant WHERE status = 'active'")
			.map((Readable row) -> {
				long id = row.get("id", Long.class);
				BigDecimal balance = row.get("balance", BigDecimal.class);
				BigDecimal credited = balance.add(row.get("usage_charged", BigDecimal.class));
				boolean low;
				BigDecimal share = null;
				if (percent) {
					share = (credited.signum() > 0) ? balance.multiply(HUNDRED).divide(credited, 2, RoundingMode.DOWN)
							: BigDecimal.ZERO;
					low = credited.signum() > 0 && share.compareTo(threshold) < 0;
				}
				else {
					low = balance.compareTo(threshold) < 0;
				}
				if (!low) {
					return List.<AlertEvent>of();
				}
				Map<String, Object> data = data("tenant_name", row.get("name", String.class), "balance",
						balance.stripTrailingZeros().toPlainString(), "threshold", threshold.toPlainString(), "unit",
						percent ? "percent" : "absolute");
				if (share != null) {
					data.put("balance_percent", share.toPlainString());
				}
				return List
					.of(new AlertEvent(AlertKind.BALANCE_BELOW, "tenant.balance_below", id, "tenant:" + id, data));
			})
			.all()
			.flatMapIterable((list) -> list);
	}

	private Flux<AlertEvent> spentQuotas(AlertRule rule) {
		BigDecimal percent = (rule.threshold() != null) ? rule.threshold() : HUNDRED;
		return this.db.sql("""
				SELECT id, tenant_id, name, display_prefix, spend_quota, spent FROM api_key
				WHERE status = 'active' AND spend_quota IS NOT NULL""").map((Readable row) -> {
			BigDecimal quota = row.get("spend_quota", BigDecimal.class);
			BigDecimal spent = row.get("spent", BigDecimal.class);
			if (spent.multiply(HUNDRED).compareTo(quota.multiply(percent)) < 0) {
				return List.<AlertEvent>of();
			}
			long id = row.get("id", Long.class);
			return List.of(new AlertEvent(AlertKind.KEY_QUOTA_SPENT, "key.quota_spent",
					row.get("tenant_id", Long.class), "key:" + id,
					data("key_id", id, "key_name", row.get("name", String.class), "key_prefix",
							row.get("display_prefix", String.class), "spent",
							spent.stripTrailingZeros().toPlainString(), "quota",
							quota.stripTrailingZeros().toPlainString(), "threshold_percent", percent.toPlainString())));
		}).all().flatMapIterable((list) -> list);
	}

	private Flux<AlertEvent> expiringKeys(AlertRule rule) {
		long days = (rule.threshold() != null) ? rule.threshold().longValue() : 7;
		Instant now = Instant.now();
		return this.db.sql("""
				SELECT id, tenant_id, name, display_prefix, expires_at FROM api_key
				WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at > :now AND expires_at <= :until""")
			.bind("now", AlertOutbox.at(now))
			.bind("until", AlertOutbox.at(now.plus(Duration.ofDays(days))))
			.map((Readable row) -> {
				long id = row.get("id", Long.class);
				Instant expires = row.get("expires_at", OffsetDateTime.class).toInstant();
				return new AlertEvent(AlertKind.KEY_EXPIRING, "key.expiring", row.get("tenant_id", Long.class),
						"key:" + id + ":" + expires.getEpochSecond(),
						data("key_id", id, "key_name", row.get("name", String.class), "key_prefix",
								row.get("display_prefix", String.class), "expires_at", expires.toString(),
								"threshold_days", days));
			})
			.all();
	}

	private Flux<AlertEvent> spentWindows(AlertRule rule) {
		BigDecimal percent = (rule.threshold() != null) ? rule.threshold() : HUNDRED;
		Instant now = Instant.now();
		return this.db.sql(SUBSCRIPTIONS)
			.map(Subscription::of)
			.all()
			.concatMap((subscription) -> Flux.fromArray(SpendWindow.values()).concatMap((window) -> {
				BigDecimal limit = subscription.limit(window);
				if (limit == null) {
					return Mono.<AlertEvent>empty();
				}
				return this.db.sql(WINDOW_SPENT)
					.bind("subscription", subscription.id())
					.bind("start", AlertOutbox.at(window.start(now)))
					.map((Readable spentRow) -> {
						BigDecimal spent = spentRow.get("spent", BigDecimal.class);
						return (spent != null) ? spent : BigDecimal.ZERO;
					})
					.one()
					.defaultIfEmpty(BigDecimal.ZERO)
					.filter((spent) -> spent.multiply(HUNDRED).compareTo(limit.multiply(percent)) >= 0)
					.map((spent) -> new AlertEvent(AlertKind.SUBSCRIPTION_WINDOW_SPENT, "subscription.window_spent",
							subscription.tenantId(), "subscription:" + window.key(subscription.id(), now),
							data("subscription_id", subscription.id(), "plan", subscription.plan(), "window",
									window.name().toLowerCase(java.util.Locale.ROOT), "spent",
									spent.stripTrailingZeros().toPlainString(), "limit",
									limit.stripTrailingZeros().toPlainString(), "resets_at",
									window.end(now).toString())));
			}));
	}

	private Flux<AlertEvent> backlog(AlertRule rule) {
		long threshold = (rule.threshold() != null) ? rule.threshold().longValue() : 1000;
		long backlog = this.journalBacklog.getAsLong();
		if (backlog < threshold) {
			return Flux.empty();
		}
		return Flux.just(new AlertEvent(AlertKind.JOURNAL_BACKLOG, "journal.backlog", null, "journal:" + this.node,
				data("node", this.node, "backlog", backlog, "threshold", threshold)));
	}

	static Map<String, Object> data(Object... pairs) {
		Map<String, Object> data = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			data.put((String) pairs[i], pairs[i + 1]);
		}
		return data;
	}

	@Override
	public void close() {
		if (this.evaluating != null) {
			this.evaluating.dispose();
		}
		this.scheduler.dispose();
	}

	private record Subscription(long id, long tenantId, String plan, BigDecimal daily, BigDecimal weekly,
			BigDecimal monthly) {

		static Subscription of(Readable row) {
			return new Subscription(row.get("id", Long.class), row.get("tenant_id", Long.class),
					row.get("name", String.class), row.get("daily_limit", BigDecimal.class),
					row.get("weekly_limit", BigDecimal.class), row.get("monthly_limit", BigDecimal.class));
		}

		BigDecimal limit(SpendWindow window) {
			return switch (window) {
				case DAILY -> this.daily;
				case WEEKLY -> this.weekly;
				case MONTHLY -> this.monthly;
			};
		}

	}

}
