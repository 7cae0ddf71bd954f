package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.admin.UsageRow;
import io.tollgate.billing.admin.UsageSummary;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.ledger.LedgerEntry;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's view of its own account: balance, subscription windows, usage with each
 * request's cost breakdown, ledger and prices. Every read is scoped by the principal's
 * tenant; a filter from the request can narrow it, never widen it.
 */
public class TenantAccount {

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	private final AdminSupport support;

	private final UsageQueries usage;

	private final Counters counters;

	public TenantAccount(AdminSupport support, UsageQueries usage, Counters counters) {
		this.support = support;
		this.usage = usage;
		this.counters = counters;
	}

	/** The overview for a period. */
	public Mono<TenantOverview> overview(TenantPrincipal principal, Instant from, Instant to) {
		UsageFilter filter = scoped(principal, new UsageFilter(from, to, null, null, null, null, null));
		Mono<TenantRow> tenant = this.support.db()
			.sql("SELECT name, status, balance, usage_charged FROM tenant WHERE id = :id")
			.bind("id", principal.tenantId())
			.map((row) -> new TenantRow(row.get("name", String.class), row.get("status", String.class),
					row.get("balance", BigDecimal.class), row.get("usage_charged", BigDecimal.class)))
			.one();
		return Mono
			.zip(tenant, windows(principal), this.usage.totals(filter), this.usage.daily(filter),
					this.usage.topModels(filter, 5), topKeys(filter, 5))
			.flatMap((t) -> reserved(principal, t.getT1().usageCharged())
				.map((reserved) -> new TenantOverview(t.getT1().name(), t.getT1().status(), t.getT1().balance(),
						reserved, t.getT2(), t.getT3(), t.getT4(), t.getT5(), t.getT6())));
	}

	/** The tenant's balance as last recorded. */
	public Mono<BigDecimal> balance(TenantPrincipal principal) {
		return this.support.db()
			.sql("SELECT balance FROM tenant WHERE id = :id")
			.bind("id", principal.tenantId())
			.map((row) -> row.get("balance", BigDecimal.class))
			.one();
	}

	/** The subscriptions' current spend windows. */
	public Mono<List<TenantOverview.Window>> windows(TenantPrincipal principal) {
		Instant now = Instant.now();
		return this.support.db()
			.sql("""
					SELECT s.id, p.name AS plan_name, g.name AS group_name, p.daily_limit, p.weekly_limit,
					    p.monthly_limit FROM subscription s JOIN plan p ON p.id = s.plan_id
					JOIN api_group g ON g.id = p.group_id
					WHERE s.tenant_id = :tenant AND s.status = 'active' AND s.starts_at <= :now
					    AND (s.expires_at IS NULL OR s.expires_at > :now) ORDER BY s.id""")
			.bind("tenant", principal.tenantId())
			.bind("now", AdminSupport.timestamp(now))
			.map((row) -> {
				List<Limit> limits = new ArrayList<>();
				limits.add(new Limit(SpendWindow.DAILY, row.get("daily_limit", BigDecimal.class)));
				limits.add(new Limit(SpendWindow.WEEKLY, row.get("weekly_limit", BigDecimal.class)));
				limits.add(new Limit(SpendWindow.MONTHLY, row.get("monthly_limit", BigDecimal.class)));
				return new Subscription(row.get("id", Long.class), row.get("plan_name", String.class),
						row.get("group_name", String.class), limits);
			})
			.all()
			.concatMap((subscription) -> Flux.fromIterable(subscription.limits())
				.filter((limit) -> limit.amount() != null)
				.concatMap((limit) -> {
					SpendWindow window = limit.window();
					return this.support.db()
						.sql("""
								SELECT COALESCE(SUM(charged_cost), 0) AS spent FROM usage_record
								WHERE subscription_id = :id AND charged_to = 'subscription' AND started_at >= :from""")
						.bind("id", subscription.id())
						.bind("from", AdminSupport.timestamp(window.start(now)))
						.map((row) -> row.get("spent", BigDecimal.class))
						.one()
						.map((spent) -> new TenantOverview.Window(subscription.planName(), subscription.groupName(),
								window.name().toLowerCase(java.util.Locale.ROOT), limit.amount(), spent,
								window.end(now)));
				}))
			.collectList();
	}

	/** One page of the tenant's usage, newest first. */
	public Mono<List<UsageRow>> usage(TenantPrincipal principal, UsageFilter filter, int page, int size) {
		return this.usage.page(scoped(principal, filter), page, size);
	}

	/** Totals of the tenant's usage the filter matches. */
	public Mono<UsageSummary> totals(TenantPrincipal principal, UsageFilter filter) {
		return this.usage.totals(scoped(principal, filter));
	}

	/** Every matching record of the tenant's, oldest first, streamed. */
	public Flux<UsageRow> stream(TenantPrincipal principal, UsageFilter filter) {
		return this.usage.stream(scoped(principal, filter));
	}

	/**
	 * Why one of the tenant's requests cost what it did; another tenant's is not found.
	 */
	public Mono<UsageBreakdown> breakdown(TenantPrincipal principal, String requestId) {
		Mono<UsageRow> row = this.usage.request(requestId)
			.filter((found) -> found.tenantId() == principal.tenantId())
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Request", requestId)));
		return row.flatMap((found) -> this.support.db()
			.sql("SELECT price_id FROM usage_record WHERE request_id = :id AND tenant_id = :tenant")
			.bind("id", requestId)
			.bind("tenant", principal.tenantId())
			.map((r) -> Optional.ofNullable(r.get("price_id", Long.class)))
			.one()
			.flatMap((priceId) -> Mono.zip(
					priceId.map((id) -> price(id).map(Optional::of)).orElse(Mono.just(Optional.empty())),
					ledgerEntry(principal, requestId).map(Optional::of).defaultIfEmpty(Optional.empty())))
			.map((t) -> breakdown(found, t.getT1().orElse(null), t.getT2().orElse(null))));
	}

	/** One page of the tenant's ledger, newest first, each with the balance after it. */
	public Mono<List<LedgerEntry>> ledger(TenantPrincipal principal, int page, int size) {
		return this.support.db()
			.sql("SELECT * FROM ledger_entry WHERE tenant_id = :tenant ORDER BY id DESC LIMIT :limit OFFSET :offset")
			.bind("tenant", principal.tenantId())
			.bind("limit", size)
			.bind("offset", (long) page * size)
			.map(TenantAccount::entry)
			.all()
			.collectList();
	}

	/** The tenant's whole ledger, oldest first, streamed. */
	public Flux<LedgerEntry> streamLedger(TenantPrincipal principal, Instant from, Instant to) {
		return this.support.db()
			.sql("""
					SELECT * FROM ledger_entry WHERE tenant_id = :tenant AND created_at >= :from AND created_at < :to
					ORDER BY id""")
			.bind("tenant", principal.tenantId())
			.bind("from", AdminSupport.timestamp(from))
			.bind("to", AdminSupport.timestamp(to))
			.filter((statement) -> statement.fetchSize(1000))
			.map(TenantAccount::entry)
			.all();
	}

	/**
	 * The current prices in each of the tenant's groups, after the group's multiplier.
	 */
	public Mono<List<ModelPrice>> prices(TenantPrincipal principal) {
		Instant now = Instant.now();
		return this.support.db()
			.sql("""
					SELECT g.name, g.multiplier FROM api_group g WHERE g.id IN (
					    SELECT k.group_id FROM api_key k WHERE k.tenant_id = :tenant AND k.status = 'active'
					    UNION SELECT p.group_id FROM subscription s JOIN plan p ON p.id = s.plan_id
					    WHERE s.tenant_id = :tenant AND s.status = 'active')
					ORDER BY g.name""")
			.bind("tenant", principal.tenantId())
			.map((row) -> new GroupMultiplier(row.get("name", String.class), row.get("multiplier", BigDecimal.class)))
			.all()
			.collectList()
			.flatMap((groups) -> this.support.db()
				.sql("""
						SELECT * FROM price p WHERE p.effective_from <= :now AND NOT EXISTS (
						    SELECT 1 FROM price q WHERE q.model_pattern = p.model_pattern
						    AND q.effective_from <= :now AND q.effective_from > p.effective_from)
						ORDER BY p.model_pattern""")
				.bind("now", AdminSupport.timestamp(now))
				.map(TenantAccount::priceOf)
				.all()
				.collectList()
				.map((prices) -> {
					List<ModelPrice> result = new ArrayList<>();
					for (GroupMultiplier group : groups) {
						BigDecimal m = group.multiplier();
						for (Price price : prices) {
							result.add(new ModelPrice(group.name(), price.modelPattern(), times(price.input(), m),
									times(price.output(), m), times(price.cacheWrite5m(), m),
									times(price.cacheWrite1h(), m), times(price.cacheRead(), m)));
						}
					}
					return result;
				}));
	}

	private Mono<List<UsageSummary.Named>> topKeys(UsageFilter filter, int limit) {
		return this.support.db()
			.sql("""
					SELECT k.name AS name, COUNT(*) AS requests, COALESCE(SUM(u.charged_cost), 0) AS charged_cost
					FROM usage_record u JOIN api_key k ON k.id = u.key_id
					WHERE u.tenant_id = :tenant AND u.started_at >= :from AND u.started_at < :to
					GROUP BY k.name ORDER BY charged_cost DESC, requests DESC LIMIT :limit""")
			.bind("tenant", filter.tenantId())
			.bind("from", AdminSupport.timestamp(filter.from()))
			.bind("to", AdminSupport.timestamp(filter.to()))
			.bind("limit", limit)
			.map((row) -> new UsageSummary.Named(row.get("name", String.class),
					new UsageSummary(((Number) row.get("requests")).longValue(), 0,
							new UsageRow.Tokens(0, 0, 0, 0, 0, 0), BigDecimal.ZERO,
							row.get("charged_cost", BigDecimal.class))))
			.all()
			.collectList();
	}

	private Mono<BigDecimal> reserved(TenantPrincipal principal, BigDecimal usageCharged) {
		return this.counters.get("spend:tenant:" + principal.tenantId())
			.map((units) -> Cost.money(units).subtract(usageCharged).max(BigDecimal.ZERO))
			.defaultIfEmpty(BigDecimal.ZERO)
			.onErrorReturn(BigDecimal.ZERO);
	}

	private Mono<Price> price(long id) {
		return this.support.db()
			.sql("SELECT * FROM price WHERE id = :id")
			.bind("id", id)
			.map(TenantAccount::priceOf)
			.one();
	}

	private Mono<LedgerEntry> ledgerEntry(TenantPrincipal principal, String requestId) {
		return this.support.db()
			.sql("SELECT * FROM ledger_entry WHERE request_id = :id AND tenant_id = :tenant")
			.bind("id", requestId)
			.bind("tenant", principal.tenantId())
			.map(TenantAccount::entry)
			.one();
	}

	static UsageBreakdown breakdown(UsageRow row, Price price, LedgerEntry entry) {
		UsageRow.Tokens tokens = row.tokens();
		List<UsageBreakdown.Line> lines = new ArrayList<>();
		if (price != null) {
			lines.add(line("input", tokens.input(), price.input()));
			lines.add(line("output", tokens.output(), price.output()));
			lines.add(line("cache write (5 min)", tokens.cacheCreation5m(), price.cacheWrite5m()));
			lines.add(line("cache write (1 hour)", tokens.cacheCreation1h(), price.cacheWrite1h()));
			lines.add(line("cache read", tokens.cacheRead(), price.cacheRead()));
		}
		BigDecimal multiplier = (row.listCost().signum() != 0)
				? row.chargedCost().divide(row.listCost(), 6, RoundingMode.HALF_EVEN).stripTrailingZeros()
				: BigDecimal.ONE;
		UsageBreakdown.PriceVersion version = (price != null)
				? new UsageBreakdown.PriceVersion(price.id(), price.modelPattern(), price.effectiveFrom()) : null;
		return new UsageBreakdown(row, version, lines, multiplier, entry);
	}

	private static UsageBreakdown.Line line(String kind, long tokens, BigDecimal perMillion) {
		return new UsageBreakdown.Line(kind, tokens, perMillion,
				perMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, Price.SCALE, RoundingMode.HALF_EVEN));
	}

	private static BigDecimal times(BigDecimal price, BigDecimal multiplier) {
		return price.multiply(multiplier).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
	}

	private static UsageFilter scoped(TenantPrincipal principal, UsageFilter filter) {
		return new UsageFilter(filter.from(), filter.to(), principal.tenantId(), filter.keyId(), null, filter.model(),
				filter.outcome());
	}

	private static Price priceOf(Readable row) {
		return new Price(row.get("id", Long.class), row.get("model_pattern", String.class),
				row.get("input_per_mtok", BigDecimal.class), row.get("output_per_mtok", BigDecimal.class),
				row.get("cache_write_5m_per_mtok", BigDecimal.class),
				row.get("cache_write_1h_per_mtok", BigDecimal.class), row.get("cache_read_per_mtok", BigDecimal.class),
				AdminSupport.instant(row, "effective_from"));
	}

	static LedgerEntry entry(Readable row) {
		return new LedgerEntry(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("kind", String.class), row.get("amount", BigDecimal.class),
				row.get("balance_after", BigDecimal.class), row.get("request_id", String.class),
				row.get("actor", String.class), row.get("reason", String.class),
				AdminSupport.instant(row, "created_at"));
	}

	private record Subscription(long id, String planName, String groupName, List<Limit> limits) {
	}

	private record Limit(SpendWindow window, BigDecimal amount) {
	}

	private record TenantRow(String name, String status, BigDecimal balance, BigDecimal usageCharged) {
	}

	private record GroupMultiplier(String name, BigDecimal multiplier) {
	}

}
