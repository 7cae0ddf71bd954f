package io.tollgate.billing.directory.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.SpendBaseline.TenantSpend;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.directory.SubscriptionView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Reads what has been spent so far: per tenant, per key, and per current subscription
 * window (one indexed aggregate per window kind).
 */
final class SpendLoader {

	private static final String SUBSCRIPTIONS = """
			SELECT s.id, s.tenant_id, p.group_id, p.name, s.starts_at, s.expires_at, p.daily_limit, p.weekly_limit,
			    p.monthly_limit
			FROM subscription s JOIN plan p ON p.id = s.plan_id
			WHERE s.status = 'active' AND p.status = 'active'""";

	private static final String WINDOW_SPENT = """
			SELECT subscription_id, SUM(charged_cost) AS spent FROM usage_record
			WHERE charged_to = 'subscription' AND subscription_id IS NOT NULL AND started_at >= :start
			GROUP BY subscription_id""";

	private final DatabaseClient db;

	SpendLoader(DatabaseClient db) {
		this.db = db;
	}

	Mono<SpendBaseline> load(Instant now) {
		Mono<Map<Long, TenantSpend>> tenants = this.db
			.sql("SELECT id, usage_charged, default_tpm, max_concurrency, overdraft_limit FROM tenant")
			.map((Readable row) -> Map.entry(row.get("id", Long.class),
					new TenantSpend(row.get("usage_charged", BigDecimal.class), row.get("default_tpm", Integer.class),
							row.get("max_concurrency", Integer.class), row.get("overdraft_limit", BigDecimal.class))))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		Mono<Map<Long, BigDecimal>> keys = this.db.sql("SELECT id, spent FROM api_key")
			.map((Readable row) -> Map.entry(row.get("id", Long.class), row.get("spent", BigDecimal.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		Mono<Map<Long, List<SubscriptionView>>> subscriptions = this.db.sql(SUBSCRIPTIONS)
			.map(SpendLoader::subscription)
			.all()
			.collect(HashMap::new,
					(map, view) -> map.computeIfAbsent(view.tenantId(), (id) -> new ArrayList<>()).add(view));
		Mono<Map<String, BigDecimal>> windows = Flux.fromArray(SpendWindow.values())
			.concatMap((window) -> this.db.sql(WINDOW_SPENT)
				.bind("start", window.start(now).atOffset(ZoneOffset.UTC))
				.map((Readable row) -> Map.entry(window.key(row.get("subscription_id", Long.class), now),
						row.get("spent", BigDecimal.class)))
				.all())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		return Mono.zip(tenants, keys, subscriptions, windows)
			.map((t) -> new SpendBaseline(Map.copyOf(t.getT1()), Map.copyOf(t.getT2()), Map.copyOf(t.getT3()),
					Map.copyOf(t.getT4())));
	}

	private static SubscriptionView subscription(Readable row) {
		return new SubscriptionView(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("group_id", Long.class), row.get("name", String.class),
				DirectoryLoader.instant(row.get("starts_at", OffsetDateTime.class)),
				DirectoryLoader.instant(row.get("expires_at", OffsetDateTime.class)),
				row.get("daily_limit", BigDecimal.class), row.get("weekly_limit", BigDecimal.class),
				row.get("monthly_limit", BigDecimal.class));
	}

}
