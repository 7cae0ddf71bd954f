package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.ConfigRevision;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Manual balance postings and the ledger's history. Each posting locks the tenant row,
 * writes one entry with the running balance and the new balance in one transaction, with
 * its audit event, then bumps the configuration revision so every node sees the balance.
 */
public class Ledger {

	private final AdminSupport support;

	public Ledger(AdminSupport support) {
		this.support = support;
	}

	/**
	 * Posts a top-up, adjustment or refund.
	 * @param tenantId the tenant
	 * @param kind the posting
	 * @param amount the amount (positive for top-ups and refunds; non-zero for
	 * adjustments)
	 * @param actor who posts it
	 * @param reason why (required)
	 * @return the entry written
	 */
	public Mono<LedgerEntry> post(long tenantId, Posting kind, BigDecimal amount, String actor, String reason) {
		if (amount == null || amount.signum() == 0) {
			throw AdminException.invalid("Amount must not be zero");
		}
		if (kind != Posting.ADJUSTMENT && amount.signum() < 0) {
			throw AdminException.invalid("A " + kind.id() + " must be positive; use an adjustment to debit");
		}
		if (reason == null || reason.isBlank()) {
			throw AdminException.invalid("A reason is required");
		}
		Mono<LedgerEntry> posting = write(tenantId, kind, amount, actor, reason.trim(), null, null);
		return this.support.change(posting, actor, "ledger." + kind.id(), "tenant", (entry) -> {
			Map<String, Object> detail = new HashMap<>();
			detail.put("id", entry.tenantId());
			detail.put("entry", entry.id());
			detail.put("amount", entry.amount());
			detail.put("balanceAfter", entry.balanceAfter());
			detail.put("reason", entry.reason());
			return detail;
		});
	}

	/**
	 * Credits money that came from outside (a redemption code, later a payment provider),
	 * inside the caller's transaction: at most one entry per source and reference.
	 * @param tenantId the tenant
	 * @param amount a positive amount
	 * @param actor who credits it
	 * @param reason why
	 * @param source where the money came from, e.g. {@code redemption}
	 * @param sourceRef the source's own reference, e.g. a code id
	 * @return the entry written
	 */
	public Mono<LedgerEntry> credit(long tenantId, BigDecimal amount, String actor, String reason, String source,
			String sourceRef) {
		if (amount == null || amount.signum() <= 0) {
			return Mono.error(AdminException.invalid("A credit must be positive"));
		}
		return write(tenantId, Posting.TOPUP, amount, actor, reason, source, sourceRef)
			.flatMap((entry) -> ConfigRevision.bump(this.support.db()).thenReturn(entry));
	}

	private Mono<LedgerEntry> write(long tenantId, Posting kind, BigDecimal amount, String actor, String reason,
			String source, String sourceRef) {
		return this.support.db()
			.sql("SELECT balance FROM tenant WHERE id = :id FOR UPDATE")
			.bind("id", tenantId)
			.map((row) -> row.get("balance", BigDecimal.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Tenant", tenantId)))
			.flatMap((balance) -> {
				BigDecimal after = balance.add(amount);
				DatabaseClient.GenericExecuteSpec insert = this.support.db()
					.sql("""
							INSERT INTO ledger_entry (tenant_id, kind, amount, balance_after, actor, reason, source,
							    source_ref)
							VALUES (:tenant, :kind, :amount, :after, :actor, :reason, :source, :ref)""")
					.bind("tenant", tenantId)
					.bind("kind", kind.id())
					.bind("amount", amount)
					.bind("after", after)
					.bind("actor", actor)
					.bind("reason", reason);
				insert = Binds.nullable(insert, "source", source, String.class);
				insert = Binds.nullable(insert, "ref", sourceRef, String.class);
				return this.support.db()
					.sql("UPDATE tenant SET balance = :balance WHERE id = :id")
					.bind("balance", after)
					.bind("id", tenantId)
					.then()
					.then(this.support.insert(insert));
			})
			.flatMap(this::entry);
	}

	/**
	 * A tenant's latest entries, newest first.
	 * @param tenantId the tenant
	 * @param limit most entries returned
	 * @return the entries
	 */
	public Mono<List<LedgerEntry>> entries(long tenantId, int limit) {
		return this.support.db()
			.sql("SELECT * FROM ledger_entry WHERE tenant_id = :id ORDER BY id DESC LIMIT :limit")
			.bind("id", tenantId)
			.bind("limit", limit)
			.map(Ledger::entryOf)
			.all()
			.collectList();
	}

	private Mono<LedgerEntry> entry(long id) {
		return this.support.db()
			.sql("SELECT * FROM ledger_entry WHERE id = :id")
			.bind("id", id)
			.map(Ledger::entryOf)
			.one();
	}

	private static LedgerEntry entryOf(Readable row) {
		return new LedgerEntry(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("kind", String.class), row.get("amount", BigDecimal.class),
				row.get("balance_after", BigDecimal.class), row.get("request_id", String.class),
				row.get("actor", String.class), row.get("reason", String.class),
				AdminSupport.instant(row, "created_at"));
	}

}
