package io.tollgate.billing.usage.internal;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.usage.ChargedTo;
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
 * request id makes both idempotent, under concurrency too: a record is inserted with
 * {@code ON CONFLICT DO NOTHING} (PostgreSQL, and H2 in its PostgreSQL mode), so a node
 * writing a request another node is writing at the same moment waits for that one's
 * transaction and then skips the request, charging nothing; only requests this
 * transaction inserted are charged.
 * <p>
 * A batch costs a handful of statements, not four per request: the usage records go as
 * one batched statement (each row still inserted only if its request id is new), and each
 * tenant charged in the batch has its balance locked, read and written once, with one
 * ledger entry per request carrying the running balance, exactly as if the requests had
 * been charged one by one in batch order. Records are inserted in request id order and
 * tenants locked in id order, so two nodes writing overlapping batches at once cannot
 * deadlock on them.
 */
public class UsageWriter {

	private static final Logger logger = LoggerFactory.getLogger(UsageWriter.class);

	private static final String INSERT_USAGE = """
			INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, account_id, requested_model,
			    upstream_model, stream, input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens,
			    cache_creation_1h_tokens, cache_read_tokens, list_cost, charged_cost, price_id, outcome,
			    usage_estimated, http_status, latency_ms, ttft_ms, started_at, charged_to, subscription_id,
			    upstream_request_id, max_tokens_clamped, redactions, intent_tag, routed_model, intent_outcome,
			    planning_input_tokens, planning_output_tokens, planning_cost, context_tokens_saved)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
			    $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
			ON CONFLICT DO NOTHING""";

	private static final String LOCK_BALANCE = "SELECT balance FROM tenant WHERE id = $1 FOR UPDATE";

	private static final String UPDATE_BALANCE = "UPDATE tenant SET balance = $1, usage_charged = usage_charged + $2 "
			+ "WHERE id = $3";

	private static final String ADD_KEY_SPENT = "UPDATE api_key SET spent = spent + $1 WHERE id = $2";

	private static final String INSERT_LEDGER = """
			INSERT INTO ledger_entry (tenant_id, kind, amount, balance_after, request_id, actor, reason)
			VALUES ($1, 'usage', $2, $3, $4, 'gateway', $5)""";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final Directory directory;

	public UsageWriter(DatabaseClient db, TransactionalOperator transactions, Directory directory) {
		this.db = db;
		this.transactions = transactions;
		this.directory = directory;
	}

	public Mono<Void> write(List<UsageEvent> batch) {
		if (batch.isEmpty()) {
			return Mono.empty();
		}
		List<Priced> priced = new ArrayList<>(batch.size());
		for (UsageEvent event : batch) {
			priced.add(price(event));
		}
		return this.db
			.inConnection((connection) -> insertUsage(connection, priced)
				.flatMap((inserted) -> charge(connection, inserted).then(addKeySpent(connection, inserted)))
				.then(Mono.<Void>empty()))
			.as(this.transactions::transactional);
	}

	private Priced price(UsageEvent event) {
		Cost cost = event.cost();
		if (cost == null) {
			Optional<Price> price = this.directory.prices().priceOf(event.upstreamModel(), event.startedAt());
			if (price.isEmpty() && event.tokens().total() > 0) {
				logger.warn("No price for model {} at {}; usage of request {} recorded at zero cost",
						event.upstreamModel(), event.startedAt(), event.requestId());
			}
			cost = price.map((p) -> Cost.of(p, event.tokens(), event.multiplier())).orElse(Cost.NONE);
		}
		return new Priced(event, cost.priceId(), cost.listCost(), cost.charged());
	}

	/** Inserts the records whose request id is new; gives back those, in batch order. */
	private Mono<List<Priced>> insertUsage(Connection connection, List<Priced> batch) {
		Integer[] order = new Integer[batch.size()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparing((Integer i) -> batch.get(i).event().requestId()));
		Statement insert = connection.createStatement(INSERT_USAGE);
		for (int i = 0; i < order.length; i++) {
			if (i > 0) {
				insert.add();
			}
			bindUsage(insert, batch.get(order[i]));
		}
		return Flux.from(insert.execute()).concatMap(Result::getRowsUpdated).collectList().map((counts) -> {
			if (counts.size() != batch.size()) {
				throw new IllegalStateException(
						"Expected " + batch.size() + " usage insert results, got " + counts.size());
			}
			boolean[] inserted = new boolean[batch.size()];
			for (int i = 0; i < order.length; i++) {
				inserted[order[i]] = counts.get(i) > 0;
			}
			List<Priced> fresh = new ArrayList<>(batch.size());
			for (int i = 0; i < batch.size(); i++) {
				if (inserted[i]) {
					fresh.add(batch.get(i));
				}
			}
			return fresh;
		});
	}

	private static void bindUsage(Statement insert, Priced priced) {
		UsageEvent event = priced.event();
		insert.bind(0, event.requestId()).bind(1, event.tenantId()).bind(2, event.keyId()).bind(3, event.groupId());
		nullable(insert, 4, event.accountId());
		insert.bind(5, event.requestedModel())
			.bind(6, event.upstreamModel())
			.bind(7, event.stream())
			.bind(8, event.tokens().input())
			.bind(9, event.tokens().output())
			.bind(10, event.tokens().cacheWrite())
			.bind(11, event.tokens().cacheWrite5m())
			.bind(12, event.tokens().cacheWrite1h())
			.bind(13, event.tokens().cacheRead())
			.bind(14, priced.listCost())
			.bind(15, priced.charged());
		nullable(insert, 16, priced.priceId());
		insert.bind(17, event.outcome().id())
			.bind(18, event.estimated())
			.bind(19, event.httpStatus())
			.bind(20, event.latencyMs());
		nullable(insert, 21, event.ttftMs());
		insert.bind(22, event.startedAt().atOffset(ZoneOffset.UTC)).bind(23, event.payer().id());
		nullable(insert, 24, event.subscriptionId());
		if (event.upstreamRequestId() != null) {
			insert.bind(25, event.upstreamRequestId());
		}
		else {
			insert.bindNull(25, String.class);
		}
		nullable(insert, 26, event.maxTokensClamped());
		text(insert, 27, event.redactions());
		UsageEvent.Intent intent = event.intent();
		text(insert, 28, (intent != null) ? intent.tag() : null);
		text(insert, 29, (intent != null) ? intent.routedModel() : null);
		text(insert, 30, (intent != null) ? intent.outcome() : null);
		nullable(insert, 31, (intent != null) ? intent.planningInputTokens() : null);
		nullable(insert, 32, (intent != null) ? intent.planningOutputTokens() : null);
		if (intent != null && intent.planningCost() != null) {
			insert.bind(33, intent.planningCost());
		}
		else {
			insert.bindNull(33, BigDecimal.class);
		}
		nullable(insert, 34, (intent != null) ? intent.contextTokensSaved() : null);
	}

	private static void text(Statement statement, int index, String value) {
		if (value != null) {
			statement.bind(index, value);
		}
		else {
			statement.bindNull(index, String.class);
		}
	}

	private static void nullable(Statement statement, int index, Long value) {
		if (value != null) {
			statement.bind(index, value);
		}
		else {
			statement.bindNull(index, Long.class);
		}
	}

	/** Charges the balance groups' requests among those just recorded. */
	private Mono<Void> charge(Connection connection, List<Priced> inserted) {
		Map<Long, List<Priced>> byTenant = new TreeMap<>();
		for (Priced priced : inserted) {
			if (priced.event().payer() == ChargedTo.BALANCE && priced.charged().signum() != 0) {
				byTenant.computeIfAbsent(priced.event().tenantId(), (id) -> new ArrayList<>()).add(priced);
			}
		}
		if (byTenant.isEmpty()) {
			return Mono.empty();
		}
		return Flux.fromIterable(byTenant.entrySet())
			.concatMap((entry) -> chargeTenant(connection, entry.getKey(), entry.getValue()))
			.then();
	}

	private Mono<Void> chargeTenant(Connection connection, long tenantId, List<Priced> charges) {
		return Flux.from(connection.createStatement(LOCK_BALANCE).bind(0, tenantId).execute())
			.concatMap((result) -> result.map((row, metadata) -> row.get(0, BigDecimal.class)))
			.collectList()
			.flatMap((balances) -> {
				if (balances.isEmpty()) {
					return Mono.empty();
				}
				BigDecimal balance = balances.get(0);
				BigDecimal total = BigDecimal.ZERO;
				Statement ledger = connection.createStatement(INSERT_LEDGER);
				for (int i = 0; i < charges.size(); i++) {
					Priced priced = charges.get(i);
					balance = balance.subtract(priced.charged());
					total = total.add(priced.charged());
					if (i > 0) {
						ledger.add();
					}
					ledger.bind(0, tenantId)
						.bind(1, priced.charged().negate())
						.bind(2, balance)
						.bind(3, priced.event().requestId())
						.bind(4, "usage of " + priced.event().upstreamModel()
								+ (Boolean.TRUE.equals(priced.event().overdraft()) ? ", on overdraft" : ""));
				}
				Statement update = connection.createStatement(UPDATE_BALANCE)
					.bind(0, balance)
					.bind(1, total)
					.bind(2, tenantId);
				return Flux.from(update.execute())
					.concatMap(Result::getRowsUpdated)
					.thenMany(Flux.from(ledger.execute()).concatMap(Result::getRowsUpdated))
					.then();
			});
	}

	/** Adds the charged cost of the requests just recorded to their keys' spend. */
	private Mono<Void> addKeySpent(Connection connection, List<Priced> inserted) {
		Map<Long, BigDecimal> byKey = new TreeMap<>();
		for (Priced priced : inserted) {
			if (priced.charged().signum() != 0) {
				byKey.merge(priced.event().keyId(), priced.charged(), BigDecimal::add);
			}
		}
		if (byKey.isEmpty()) {
			return Mono.empty();
		}
		Statement update = connection.createStatement(ADD_KEY_SPENT);
		boolean first = true;
		for (Map.Entry<Long, BigDecimal> entry : byKey.entrySet()) {
			if (!first) {
				update.add();
			}
			first = false;
			update.bind(0, entry.getValue()).bind(1, entry.getKey());
		}
		return Flux.from(update.execute()).concatMap(Result::getRowsUpdated).then();
	}

	/**
	 * A usage event with its cost.
	 *
	 * @param event the event
	 * @param priceId the price it was charged at, or {@code null}
	 * @param listCost its cost at list price
	 * @param charged what the tenant pays: the list cost times the group's multiplier
	 */
	private record Priced(UsageEvent event, Long priceId, BigDecimal listCost, BigDecimal charged) {
	}

}
