package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Reads usage for the explorer, the dashboard and finance exports. Exports are
 * {@link Flux}es straight from the database cursor: nothing is collected, so a million
 * rows stream in constant memory at the pace the consumer reads.
 */
public class UsageQueries {

	private static final String DAY = "CAST(u.started_at AT TIME ZONE 'UTC' AS DATE)";

	private static final String SUMS = """
			COUNT(*) AS requests, SUM(CASE WHEN u.outcome <> 'ok' THEN 1 ELSE 0 END) AS errors,
			SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens,
			SUM(u.cache_creation_tokens) AS cache_creation_tokens,
			SUM(u.cache_creation_5m_tokens) AS cache_creation_5m_tokens,
			SUM(u.cache_creation_1h_tokens) AS cache_creation_1h_tokens,
			SUM(u.cache_read_tokens) AS cache_read_tokens, SUM(u.list_cost) AS list_cost,
			SUM(u.charged_cost) AS charged_cost""";

	private static final String ROWS = """
			SELECT u.*, t.name AS tenant_name, k.name AS key_name FROM usage_record u
			LEFT JOIN tenant t ON t.id = u.tenant_id LEFT JOIN api_key k ON k.id = u.key_id""";

	/** Rows fetched from the database per round trip when streaming. */
	private static final int FETCH_SIZE = 1000;

	private final AdminSupport support;

	public UsageQueries(AdminSupport support) {
		this.support = support;
	}

	/**
	 * One page of records, newest first.
	 * @param filter which records
	 * @param page zero-based page
	 * @param size page size
	 * @return the records
	 */
	public Mono<List<UsageRow>> page(UsageFilter filter, int page, int size) {
		Where where = where(filter);
		return where
			.bind(this.support.db()
				.sql(ROWS + where.sql + " ORDER BY u.started_at DESC, u.id DESC LIMIT :limit OFFSET :offset"))
			.bind("limit", size)
			.bind("offset", (long) page * size)
			.map(UsageQueries::row)
			.all()
			.collectList();
	}

	/** The record of one request, if any. */
	public Mono<UsageRow> request(String requestId) {
		return this.support.db()
			.sql(ROWS + " WHERE u.request_id = :id")
			.bind("id", requestId)
			.map(UsageQueries::row)
			.one();
	}

	/** Totals over every record the filter matches. */
	public Mono<UsageSummary> totals(UsageFilter filter) {
		Where where = where(filter);
		return where.bind(this.support.db().sql("SELECT " + SUMS + " FROM usage_record u" + where.sql))
			.map(UsageQueries::summary)
			.one();
	}

	/** Sums per UTC day, oldest first (days without usage are absent). */
	public Mono<List<UsageSummary.Daily>> daily(UsageFilter filter) {
		Where where = where(filter);
		return where
			.bind(this.support.db()
				.sql("SELECT " + DAY + " AS usage_day, " + SUMS + " FROM usage_record u" + where.sql + " GROUP BY "
						+ DAY + " ORDER BY usage_day"))
			.map((row) -> new UsageSummary.Daily(row.get("usage_day", LocalDate.class), summary(row)))
			.all()
			.collectList();
	}

	/** The tenants with the highest charged cost. */
	public Mono<List<UsageSummary.Named>> topTenants(UsageFilter filter, int limit) {
		Where where = where(filter);
		return where
			.bind(this.support.db()
				.sql("SELECT t.name AS name, " + SUMS + " FROM usage_record u JOIN tenant t ON t.id = u.tenant_id"
						+ where.sql + " GROUP BY t.name ORDER BY charged_cost DESC, requests DESC LIMIT :limit"))
			.bind("limit", limit)
			.map((row) -> new UsageSummary.Named(row.get("name", String.class), summary(row)))
			.all()
			.collectList();
	}

	/** The requested models with the most requests. */
	public Mono<List<UsageSummary.Named>> topModels(UsageFilter filter, int limit) {
		Where where = where(filter);
		return where
			.bind(this.support.db()
				.sql("SELECT u.requested_model AS name, " + SUMS + " FROM usage_record u" + where.sql
						+ " GROUP BY u.requested_model ORDER BY requests DESC, charged_cost DESC LIMIT :limit"))
			.bind("limit", limit)
			.map((row) -> new UsageSummary.Named(row.get("name", String.class), summary(row)))
			.all()
			.collectList();
	}

	private static final String CACHE_SUMS = "SUM(u.cache_read_tokens) AS cache_read, "
			+ "SUM(u.input_tokens + u.cache_creation_tokens + u.cache_read_tokens) AS cacheable";

	/**
	 * Prompt-cache hit rates grouped by tenant, group, account or model, the most
	 * cacheable input first.
	 * @param filter which records
	 * @param accountId only the records an account served, or {@code null} for all
	 * @param by what to group by
	 * @param limit most rows
	 * @return the rates, of rows with cacheable input
	 */
	public Mono<List<CacheHits>> cacheHits(UsageFilter filter, Long accountId, CacheHits.By by, int limit) {
		Where where = where(filter);
		String account = (accountId != null) ? " AND u.account_id = :account" : "";
		DatabaseClient.GenericExecuteSpec spec = where.bind(this.support.db()
			.sql("SELECT " + by.column + " AS name, " + CACHE_SUMS + " FROM usage_record u"
					+ " LEFT JOIN tenant t ON t.id = u.tenant_id LEFT JOIN api_group g ON g.id = u.group_id"
					+ " LEFT JOIN upstream_account a ON a.id = u.account_id" + where.sql + account + " AND " + by.column
					+ " IS NOT NULL GROUP BY " + by.column
					+ " HAVING SUM(u.input_tokens + u.cache_creation_tokens + u.cache_read_tokens) > 0"
					+ " ORDER BY cacheable DESC, name LIMIT :limit"));
		if (accountId != null) {
			spec = spec.bind("account", accountId);
		}
		return spec.bind("limit", limit)
			.map((row) -> new CacheHits(row.get("name", String.class), number(row, "cache_read"),
					number(row, "cacheable")))
			.all()
			.collectList();
	}

	/**
	 * Prompt-cache use per UTC day, oldest first (days without usage are absent).
	 * @param filter which records
	 * @param accountId only the records an account served, or {@code null} for all
	 * @return the days
	 */
	public Mono<List<CacheHits.Daily>> dailyCacheHits(UsageFilter filter, Long accountId) {
		Where where = where(filter);
		String account = (accountId != null) ? " AND u.account_id = :account" : "";
		DatabaseClient.GenericExecuteSpec spec = where.bind(this.support.db()
			.sql("SELECT " + DAY + " AS usage_day, " + CACHE_SUMS + " FROM usage_record u" + where.sql + account
					+ " GROUP BY " + DAY + " ORDER BY usage_day"));
		if (accountId != null) {
			spec = spec.bind("account", accountId);
		}
		return spec
			.map((row) -> new CacheHits.Daily(row.get("usage_day", LocalDate.class), number(row, "cache_read"),
					number(row, "cacheable")))
			.all()
			.collectList();
	}

	/**
	 * Every matching record, oldest first, streamed from the database.
	 * @param filter which records
	 * @return the records, at the pace they are requested
	 */
	public Flux<UsageRow> stream(UsageFilter filter) {
		Where where = where(filter);
		return where.bind(this.support.db().sql(ROWS + where.sql + " ORDER BY u.started_at, u.id"))
			.filter((statement) -> statement.fetchSize(FETCH_SIZE))
			.map(UsageQueries::row)
			.all();
	}

	/**
	 * Sums per tenant, UTC day and requested model, streamed from the database, by day,
	 * tenant and model.
	 * @param filter which records
	 * @return the aggregates
	 */
	public Flux<UsageSummary.Aggregate> aggregates(UsageFilter filter) {
		Where where = where(filter);
		return where
			.bind(this.support.db()
				.sql("SELECT u.tenant_id, t.name AS tenant_name, " + DAY + " AS usage_day, u.requested_model, " + SUMS
						+ " FROM usage_record u LEFT JOIN tenant t ON t.id = u.tenant_id" + where.sql
						+ " GROUP BY u.tenant_id, t.name, " + DAY
						+ ", u.requested_model ORDER BY usage_day, tenant_name, u.requested_model"))
			.filter((statement) -> statement.fetchSize(FETCH_SIZE))
			.map((row) -> new UsageSummary.Aggregate(row.get("tenant_id", Long.class),
					row.get("tenant_name", String.class), row.get("usage_day", LocalDate.class),
					row.get("requested_model", String.class), summary(row)))
			.all();
	}

	private static Where where(UsageFilter filter) {
		List<String> clauses = new ArrayList<>(List.of("u.started_at >= :from", "u.started_at < :to"));
		if (filter.tenantId() != null) {
			clauses.add("u.tenant_id = :tenant");
		}
		if (filter.keyId() != null) {
			clauses.add("u.key_id = :key");
		}
		if (filter.groupId() != null) {
			clauses.add("u.group_id = :group");
		}
		if (filter.model() != null) {
			clauses.add("u.requested_model = :model");
		}
		if (filter.outcome() != null) {
			clauses.add("u.outcome = :outcome");
		}
		return new Where(" WHERE " + String.join(" AND ", clauses), filter);
	}

	private static UsageSummary summary(Readable row) {
		return new UsageSummary(number(row, "requests"), number(row, "errors"),
				new UsageRow.Tokens(number(row, "input_tokens"), number(row, "output_tokens"),
						number(row, "cache_creation_tokens"), number(row, "cache_creation_5m_tokens"),
						number(row, "cache_creation_1h_tokens"), number(row, "cache_read_tokens")),
				money(row, "list_cost"), money(row, "charged_cost"));
	}

	private static long number(Readable row, String column) {
		Object value = row.get(column);
		return (value != null) ? ((Number) value).longValue() : 0;
	}

	private static BigDecimal money(Readable row, String column) {
		BigDecimal value = row.get(column, BigDecimal.class);
		return (value != null) ? value : BigDecimal.ZERO;
	}

	private static UsageRow row(Readable row) {
		return new UsageRow(row.get("id", Long.class), row.get("request_id", String.class),
				AdminSupport.instant(row, "started_at"), row.get("tenant_id", Long.class),
				row.get("tenant_name", String.class), row.get("key_id", Long.class), row.get("key_name", String.class),
				row.get("group_id", Long.class), row.get("account_id", Long.class),
				row.get("requested_model", String.class), row.get("upstream_model", String.class),
				row.get("stream", Boolean.class),
				new UsageRow.Tokens(row.get("input_tokens", Long.class), row.get("output_tokens", Long.class),
						row.get("cache_creation_tokens", Long.class), row.get("cache_creation_5m_tokens", Long.class),
						row.get("cache_creation_1h_tokens", Long.class), row.get("cache_read_tokens", Long.class)),
				row.get("list_cost", BigDecimal.class), row.get("charged_cost", BigDecimal.class),
				row.get("charged_to", String.class), row.get("outcome", String.class),
				row.get("http_status", Integer.class), row.get("latency_ms", Long.class),
				row.get("ttft_ms", Long.class), intent(row));
	}

	private static UsageRow.Intent intent(Readable row) {
		String outcome = row.get("intent_outcome", String.class);
		if (outcome == null) {
			return null;
		}
		return new UsageRow.Intent(row.get("intent_tag", String.class), row.get("routed_model", String.class), outcome,
				row.get("planning_cost", BigDecimal.class), row.get("context_tokens_saved", Long.class));
	}

	private record Where(String sql, UsageFilter filter) {

		DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
			spec = spec.bind("from", AdminSupport.timestamp(this.filter.from()))
				.bind("to", AdminSupport.timestamp(this.filter.to()));
			if (this.filter.tenantId() != null) {
				spec = spec.bind("tenant", this.filter.tenantId());
			}
			if (this.filter.keyId() != null) {
				spec = spec.bind("key", this.filter.keyId());
			}
			if (this.filter.groupId() != null) {
				spec = spec.bind("group", this.filter.groupId());
			}
			if (this.filter.model() != null) {
				spec = spec.bind("model", this.filter.model());
			}
			if (this.filter.outcome() != null) {
				spec = spec.bind("outcome", this.filter.outcome());
			}
			return spec;
		}

	}

}
