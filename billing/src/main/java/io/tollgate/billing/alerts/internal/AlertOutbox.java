package io.tollgate.billing.alerts.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.alerts.AlertRule;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.JsonColumns;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The persisted outbox: events become delivery rows in the database before anything is
 * sent, so a restart loses none; workers on any number of nodes take due rows with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so no row is delivered by two nodes.
 */
public class AlertOutbox {

	private static final String CLAIMABLE = """
			SELECT id FROM alert_delivery
			WHERE status = 'pending' AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
			ORDER BY next_attempt_at, id
			LIMIT :limit
			FOR UPDATE SKIP LOCKED""";

	private static final String CLAIM = """
			UPDATE alert_delivery SET claimed_by = :node, claimed_until = :until
			WHERE id = :id AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)""";

	private static final String CLAIMED = """
			SELECT d.id, d.event_id, d.payload, d.attempts, e.id AS endpoint_id, e.tenant_id, e.url, e.secret_enc,
			    e.previous_secret_enc, e.previous_until
			FROM alert_delivery d JOIN alert_endpoint e ON e.id = d.endpoint_id
			WHERE d.claimed_by = :node AND d.status = 'pending' AND d.id = :id""";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final AdminSupport support;

	public AlertOutbox(DatabaseClient db, TransactionalOperator transactions) {
		this.db = db;
		this.transactions = transactions;
		this.support = new AdminSupport(db, transactions);
	}

	/**
	 * Queues a delivery of an event to one endpoint.
	 * @param endpointId where it goes
	 * @param ruleId the rule that fired, or {@code null}
	 * @param type the event type
	 * @param tenantId the tenant it concerns, or {@code null}
	 * @param data the event's details
	 * @return the delivery's id
	 */
	public Mono<Long> enqueue(long endpointId, Long ruleId, String type, Long tenantId, Map<String, Object> data) {
		String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
		Instant now = Instant.now();
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("id", eventId);
		payload.put("type", type);
		payload.put("created_at", now.toString());
		payload.put("tenant_id", tenantId);
		payload.put("rule_id", ruleId);
		payload.put("data", data);
		DatabaseClient.GenericExecuteSpec insert = this.db.sql("""
				INSERT INTO alert_delivery (endpoint_id, rule_id, tenant_id, event_id, event_type, payload,
				    next_attempt_at, created_at)
				VALUES (:endpoint, :rule, :tenant, :event, :type, :payload, :now, :now)""")
			.bind("endpoint", endpointId)
			.bind("event", eventId)
			.bind("type", type)
			.bind("payload", JsonColumns.write(payload))
			.bind("now", at(now));
		insert = Binds.nullable(insert, "rule", ruleId, Long.class);
		insert = Binds.nullable(insert, "tenant", tenantId, Long.class);
		return this.support.insert(insert);
	}

	/**
	 * Queues an event for a rule, unless the rule already fired for the same subject and
	 * the condition has not cleared since; safe when several nodes evaluate at once.
	 * @param rule the rule
	 * @param event what holds
	 * @return whether a delivery was queued
	 */
	Mono<Boolean> fireOnce(AlertRule rule, AlertEvent event) {
		Mono<Boolean> fire = this.db.sql("""
				INSERT INTO alert_firing (rule_id, subject, fired_at)
				SELECT :rule, :subject, :now WHERE NOT EXISTS
				    (SELECT 1 FROM alert_firing WHERE rule_id = :rule AND subject = :subject)""")
			.bind("rule", rule.id())
			.bind("subject", event.subject())
			.bind("now", at(Instant.now()))
			.fetch()
			.rowsUpdated()
			.flatMap((inserted) -> (inserted == 0) ? Mono.just(false)
					: enqueue(rule.endpointId(), rule.id(), event.type(), event.tenantId(), event.data())
						.thenReturn(true));
		return fire.as(this.transactions::transactional)
			.onErrorResume(DataIntegrityViolationException.class, (ex) -> Mono.just(false));
	}

	/**
	 * Forgets the subjects of a rule whose condition no longer holds, so they fire again
	 * when it next does.
	 * @param ruleId the rule
	 * @param holding the subjects for which it holds now
	 * @return completion
	 */
	Mono<Void> clear(long ruleId, Set<String> holding) {
		return this.db.sql("SELECT subject FROM alert_firing WHERE rule_id = :rule")
			.bind("rule", ruleId)
			.map((row) -> row.get("subject", String.class))
			.all()
			.filter((subject) -> !holding.contains(subject))
			.concatMap((subject) -> this.db.sql("DELETE FROM alert_firing WHERE rule_id = :rule AND subject = :subject")
				.bind("rule", ruleId)
				.bind("subject", subject)
				.then())
			.then();
	}

	/**
	 * Takes up to {@code limit} due deliveries for this node, for {@code lease}.
	 * @param node this node's name
	 * @param limit most deliveries
	 * @param lease how long they stay this node's
	 * @return the deliveries taken, with what is needed to send them
	 */
	public Mono<List<Claimed>> claim(String node, int limit, Duration lease) {
		return Mono.defer(() -> claimNow(node, limit, lease));
	}

	private Mono<List<Claimed>> claimNow(String node, int limit, Duration lease) {
		OffsetDateTime now = at(Instant.now());
		OffsetDateTime until = at(Instant.now().plus(lease));
		Mono<List<Long>> taken = this.db.sql(CLAIMABLE)
			.bind("now", now)
			.bind("limit", limit)
			.map((row) -> row.get("id", Long.class))
			.all()
			.concatMap((id) -> this.db.sql(CLAIM)
				.bind("node", node)
				.bind("until", until)
				.bind("id", id)
				.bind("now", now)
				.fetch()
				.rowsUpdated()
				.filter((updated) -> updated == 1)
				.map((updated) -> id))
			.collectList()
			.as(this.transactions::transactional);
		return taken.flatMapMany(Flux::fromIterable)
			.concatMap((id) -> this.db.sql(CLAIMED).bind("node", node).bind("id", id).map(AlertOutbox::claimed).one())
			.collectList();
	}

	/** Marks a delivery delivered. */
	public Mono<Void> delivered(long id, int status) {
		return this.db.sql("""
				UPDATE alert_delivery SET status = 'delivered', attempts = attempts + 1, last_status = :status,
				    last_error = NULL, delivered_at = :now, claimed_by = NULL, claimed_until = NULL
				WHERE id = :id""").bind("status", status).bind("now", at(Instant.now())).bind("id", id).then();
	}

	/**
	 * Notes a failed attempt: the delivery is tried again at {@code next}, or marked
	 * failed when {@code next} is {@code null}.
	 */
	public Mono<Void> attemptFailed(long id, Integer status, String error, Instant next) {
		DatabaseClient.GenericExecuteSpec update = this.db.sql("""
				UPDATE alert_delivery SET status = :state, attempts = attempts + 1, last_status = :status,
				    last_error = :error, next_attempt_at = COALESCE(:next, next_attempt_at), claimed_by = NULL,
				    claimed_until = NULL
				WHERE id = :id""")
			.bind("state", (next != null) ? "pending" : "failed")
			.bind("error", (error.length() > 500) ? error.substring(0, 500) : error)
			.bind("id", id);
		update = Binds.nullable(update, "status", status, Integer.class);
		update = Binds.nullable(update, "next", (next != null) ? at(next) : null, OffsetDateTime.class);
		return update.then();
	}

	/**
	 * Marks a delivery failed without an attempt: its target is not allowed.
	 * @param id the delivery
	 * @param reason why, shown to whoever owns the endpoint
	 * @return completion
	 */
	public Mono<Void> refused(long id, String reason) {
		String error = "Refused, not sent: " + reason;
		return this.db.sql("""
				UPDATE alert_delivery SET status = 'failed', last_status = NULL, last_error = :error,
				    claimed_by = NULL, claimed_until = NULL
				WHERE id = :id""")
			.bind("error", (error.length() > 500) ? error.substring(0, 500) : error)
			.bind("id", id)
			.then();
	}

	private static Claimed claimed(Readable row) {
		return new Claimed(row.get("id", Long.class), row.get("event_id", String.class),
				row.get("payload", String.class), row.get("attempts", Integer.class),
				row.get("endpoint_id", Long.class), row.get("tenant_id", Long.class), row.get("url", String.class),
				row.get("secret_enc", String.class), row.get("previous_secret_enc", String.class),
				AdminSupport.instant(row, "previous_until"));
	}

	static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * A delivery this node took.
	 *
	 * @param id the delivery
	 * @param eventId the event id
	 * @param payload the body
	 * @param attempts attempts made before this one
	 * @param endpointId the endpoint
	 * @param tenantId the endpoint's tenant, or {@code null} for the operator's
	 * @param url where to post
	 * @param secret the endpoint's encrypted secret
	 * @param previousSecret the previous encrypted secret during a rotation, or
	 * {@code null}
	 * @param previousUntil when the previous secret stops signing
	 */
	public record Claimed(long id, String eventId, String payload, int attempts, long endpointId, Long tenantId,
			String url, String secret, String previousSecret, Instant previousUntil) {

		List<String> encryptedSecrets(Instant now) {
			List<String> secrets = new ArrayList<>(2);
			secrets.add(this.secret);
			if (this.previousSecret != null && this.previousUntil != null && this.previousUntil.isAfter(now)) {
				secrets.add(this.previousSecret);
			}
			return secrets;
		}

	}

}
