package io.tollgate.billing.admin;

import java.util.List;

import io.tollgate.billing.admin.internal.AdminSupport;
import reactor.core.publisher.Mono;

/**
 * The audit trail: every admin change, newest first. Events are written by the services
 * in the transaction of the change they record.
 */
public class AuditLog {

	private final AdminSupport support;

	public AuditLog(AdminSupport support) {
		this.support = support;
	}

	/**
	 * One page of events, newest first.
	 * @param page zero-based page
	 * @param size page size
	 * @return the events
	 */
	public Mono<List<AuditEvent>> page(int page, int size) {
		return this.support.db()
			.sql("SELECT * FROM audit_event ORDER BY id DESC LIMIT :limit OFFSET :offset")
			.bind("limit", size)
			.bind("offset", (long) page * size)
			.map((row) -> new AuditEvent(row.get("id", Long.class), row.get("actor", String.class),
					row.get("action", String.class), row.get("target_type", String.class),
					row.get("target_id", String.class), row.get("detail", String.class),
					AdminSupport.instant(row, "created_at")))
			.all()
			.collectList();
	}

	/** Records an event that belongs to no data change (a login, an export, a reset). */
	public Mono<Void> record(String actor, String action, String targetType, String targetId,
			java.util.Map<String, Object> detail) {
		return this.support.audit(actor, action, targetType, targetId, detail);
	}

}
