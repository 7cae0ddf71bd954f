package io.tollgate.billing.usage.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.usage.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Writes a batch of usage in one transaction: the usage record, priced at the version in
 * effect when the request started, and for balance groups the ledger charge. The unique
 * request id makes both idempotent.
 */
public class UsageWriter {

	private static final Logger logger = LoggerFactory.getLogger(UsageWriter.class);

	private static final String INSERT_USAGE = """
			INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, account_id, requested_model,
			    upstream_model, stream, input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens,
			    cache_creation_1h_tokens, cache_read_tokens, list_cost, charged_cost, price_id, outcome,
			    usage_estimated, http_status, latency_ms, ttft_ms, started_at)
			SELECT :requestId, :tenantId, :keyId, :groupId, :accountId, :requestedModel, :upstreamModel, :stream,
			    :input, :output, :cacheWrite, :cacheWrite5m, :cacheWrite1h, :cacheRead, :listCost, :chargedCost,
			    :priceId, :outcome, :estimated, :httpStatus, :latencyMs, :ttftMs, :startedAt
			WHERE NOT EXISTS (SELECT 1 FROM usage_record WHERE request_id = :requestId)""";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final Directory directory;

	public UsageWriter(DatabaseClient db, TransactionalOperator transactions, Directory directory) {
		this.db = db;
		this.transactions = transactions;
		this.directory = directory;
	}

	public Mono<Void> write(List<UsageEvent> batch) {
		return Flux.fromIterable(batch).concatMap(this::writeOne).then().as(this.transactions::transactional);
	}

	private Mono<Void> writeOne(UsageEvent event) {
		Optional<Price> price = this.directory.prices().priceOf(event.upstreamModel(), event.startedAt());
		if (price.isEmpty() && event.tokens().total() > 0) {
			logger.warn("No price for model {} at {}; usage of request {} recorded at zero cost", event.upstreamModel(),
					event.startedAt(), event.requestId());
		}
		BigDecimal listCost = price.map((p) -> p.cost(event.tokens())).orElse(BigDecimal.ZERO.setScale(Price.SCALE));
		BigDecimal charged = listCost.multiply(event.multiplier()).setScale(Price.SCALE, RoundingMode.HALF_EVEN);
		DatabaseClient.GenericExecuteSpec insert = this.db.sql(INSERT_USAGE)
			.bind("requestId", event.requestId())
			.bind("tenantId", event.tenantId())
			.bind("keyId", event.keyId())
			.bind("groupId", event.groupId())
			.bind("requestedModel", event.requestedModel())
			.bind("upstreamModel", event.upstreamModel())
			.bind("stream", event.stream())
			.bind("input", event.tokens().input())
			.bind("output", event.tokens().output())
			.bind("cacheWrite", event.tokens().cacheWrite())
			.bind("cacheWrite5m", event.tokens().cacheWrite5m())
			.bind("cacheWrite1h", event.tokens().cacheWrite1h())
			.bind("cacheRead", event.tokens().cacheRead())
			.bind("listCost", listCost)
			.bind("chargedCost", charged)
			.bind("outcome", event.outcome().id())
			.bind("estimated", event.estimated())
			.bind("httpStatus", event.httpStatus())
			.bind("latencyMs", event.latencyMs())
			.bind("startedAt", event.startedAt().atOffset(ZoneOffset.UTC));
		insert = Binds.nullable(insert, "accountId", event.accountId(), Long.class);
		insert = Binds.nullable(insert, "priceId", price.map(Price::id).orElse(null), Long.class);
		insert = Binds.nullable(insert, "ttftMs", event.ttftMs(), Long.class);
		return insert.fetch().rowsUpdated().flatMap((inserted) -> {
			if (inserted == 0 || event.billingMode() != BillingMode.BALANCE || charged.signum() == 0) {
				return Mono.empty();
			}
			return charge(event, charged);
		});
	}

	private Mono<Void> charge(UsageEvent event, BigDecimal amount) {
		return this.db.sql("SELECT balance FROM tenant WHERE id = :id FOR UPDATE")
			.bind("id", event.tenantId())
			.map((row) -> row.get("balance", BigDecimal.class))
			.one()
			.flatMap((balance) -> {
				BigDecimal after = balance.subtract(amount);
				return this.db.sql("UPDATE tenant SET balance = :balance WHERE id = :id")
					.bind("balance", after)
					.bind("id", event.tenantId())
					.then()
					.then(this.db.sql("""
							INSERT INTO ledger_entry (tenant_id, kind, amount, balance_after, request_id, actor, reason)
							VALUES (:tenantId, 'usage', :amount, :after, :requestId, 'gateway', :reason)""")
						.bind("tenantId", event.tenantId())
						.bind("amount", amount.negate())
						.bind("after", after)
						.bind("requestId", event.requestId())
						.bind("reason", "usage of " + event.upstreamModel())
						.then());
			});
	}

}
