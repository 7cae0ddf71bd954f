package io.tollgate.billing.admin.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.ConfigRevision;
import io.tollgate.billing.internal.JsonColumns;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * What every admin service shares: the database, its transactions, the audit trail and
 * the configuration revision the hot path watches.
 */
public class AdminSupport {

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	public AdminSupport(DatabaseClient db, TransactionalOperator transactions) {
		this.db = db;
		this.transactions = transactions;
	}

	public DatabaseClient db() {
		return this.db;
	}

	/**
	 * Runs a change in one transaction with its audit event, then bumps the configuration
	 * revision so every node reloads.
	 * @param <T> the change's result
	 * @param change the change
	 * @param actor who made it
	 * @param action what it was, e.g. {@code tenant.create}
	 * @param targetType the kind of thing changed
	 * @param detail the audit detail (never secrets), given the change's result; its
	 * {@code id} entry becomes the target id
	 * @return the change's result
	 */
	public <T> Mono<T> change(Mono<T> change, String actor, String action, String targetType,
			java.util.function.Function<T, Map<String, Object>> detail) {
		return change.flatMap((result) -> {
			Map<String, Object> details = new LinkedHashMap<>(detail.apply(result));
			Object id = details.remove("id");
			return audit(actor, action, targetType, (id != null) ? id.toString() : null, details)
				.then(ConfigRevision.bump(this.db))
				.thenReturn(result);
		}).as(this.transactions::transactional);
	}

	/** Runs work in one transaction. */
	public <T> Mono<T> transactional(Mono<T> work) {
		return work.as(this.transactions::transactional);
	}

	/** Records one audit event (inside the caller's transaction when there is one). */
	public Mono<Void> audit(String actor, String action, String targetType, String targetId,
			Map<String, Object> detail) {
		DatabaseClient.GenericExecuteSpec sql = this.db.sql("""
				INSERT INTO audit_event (actor, action, target_type, target_id, detail, created_at)
				VALUES (:actor, :action, :type, :target, :detail, :at)""")
			.bind("actor", actor)
			.bind("action", action)
			.bind("type", targetType)
			.bind("at", OffsetDateTime.now(ZoneOffset.UTC));
		sql = Binds.nullable(sql, "target", targetId, String.class);
		sql = Binds.nullable(sql, "detail", JsonColumns.write(detail), String.class);
		return sql.then();
	}

	/** Reads a timestamp column as an instant. */
	public static Instant instant(Readable row, String column) {
		OffsetDateTime time = row.get(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	/** An instant as a bindable timestamp. */
	public static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	/** Inserts and returns the generated id. */
	public Mono<Long> insert(DatabaseClient.GenericExecuteSpec insert) {
		return insert.filter((statement) -> statement.returnGeneratedValues("id"))
			.map((row) -> ((Number) row.get("id")).longValue())
			.one();
	}

}
