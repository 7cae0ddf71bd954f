package io.tollgate.billing.alerts;

import java.math.BigDecimal;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.alerts.internal.AlertDispatcher;
import io.tollgate.billing.alerts.internal.AlertOutbox;
import io.tollgate.billing.alerts.internal.AlertRules;
import io.tollgate.billing.alerts.internal.WebhookTargets;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.internal.Binds;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Alerts for the console and the admin API: webhook endpoints with their signing secrets,
 * the rules that post to them, and the delivery history. Every change is audited.
 * Endpoints and rules with a tenant belong to that tenant (a tenant-scoped rule watches
 * only its tenant and posts only to that tenant's endpoints); without one they are the
 * operator's.
 */
public class Alerts {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String ENDPOINT = "SELECT id, tenant_id, name, url, enabled, previous_until, created_at "
			+ "FROM alert_endpoint";

	private static final String DELIVERY = "SELECT * FROM alert_delivery";

	private final AdminSupport support;

	private final CredentialCipher cipher;

	private final AlertRules rules;

	private final AlertOutbox outbox;

	private final AlertDispatcher dispatcher;

	private final AlertProperties properties;

	private final WebhookTargets targets;

	public Alerts(AdminSupport support, CredentialCipher cipher, AlertRules rules, AlertOutbox outbox,
			AlertDispatcher dispatcher, AlertProperties properties, WebhookTargets targets) {
		this.targets = targets;
		this.support = support;
		this.cipher = cipher;
		this.rules = rules;
		this.outbox = outbox;
		this.dispatcher = dispatcher;
		this.properties = properties;
	}

	/**
	 * Endpoints, all or a tenant's.
	 * @param tenantId a tenant, or {@code null} for every endpoint
	 * @return the endpoints
	 */
	public Mono<List<AlertEndpoint>> endpoints(Long tenantId) {
		var sql = (tenantId != null)
				? this.support.db().sql(ENDPOINT + " WHERE tenant_id = :tenant ORDER BY id").bind("tenant", tenantId)
				: this.support.db().sql(ENDPOINT + " ORDER BY id");
		return sql.map(Alerts::toEndpoint).all().collectList();
	}

	/** One endpoint. */
	public Mono<AlertEndpoint> endpoint(long id) {
		return this.support.db()
			.sql(ENDPOINT + " WHERE id = :id")
			.bind("id", id)
			.map(Alerts::toEndpoint)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Endpoint", id)));
	}

	/**
	 * Adds an endpoint with a new secret, shown once. A tenant's endpoint must pass
	 * {@link WebhookTargets}: {@code https} (unless {@code http} is allowed), no
	 * credentials, a host that is not and does not resolve to an internal address.
	 * @param tenantId its tenant, or {@code null} for the operator's
	 * @param name a label
	 * @param url an {@code http} or {@code https} URL
	 * @param actor who adds it
	 * @return the endpoint and its secret
	 */
	public Mono<EndpointSecret> createEndpoint(Long tenantId, String name, String url, String actor) {
		String label = required(name, "Name");
		String target = url(url);
		String secret = newSecret();
		var insert = this.support.db()
			.sql("INSERT INTO alert_endpoint (tenant_id, name, url, secret_enc) VALUES (:tenant, :name, :url, :secret)")
			.bind("name", label)
			.bind("url", target)
			.bind("secret", this.cipher.encrypt(secret));
		insert = Binds.nullable(insert, "tenant", tenantId, Long.class);
		Mono<EndpointSecret> created = checkTarget(tenantId, target).then(this.support.insert(insert))
			.flatMap(this::endpoint)
			.flatMap((endpoint) -> audit(actor, "alert_endpoint.create", "alert_endpoint", endpoint.id(),
					detail("name", label, "url", target, "tenantId", tenantId))
				.thenReturn(new EndpointSecret(endpoint, secret)));
		return this.support.transactional(created);
	}

	/**
	 * Changes an endpoint's name and URL; a tenant's URL is checked as on creation.
	 * @param id the endpoint
	 * @param name a label
	 * @param url the new URL
	 * @param actor who changes it
	 * @return the endpoint
	 */
	public Mono<AlertEndpoint> updateEndpoint(long id, String name, String url, String actor) {
		String label = required(name, "Name");
		String target = url(url);
		return this.support.transactional(endpoint(id).flatMap((found) -> checkTarget(found.tenantId(), target)
			.then(this.support.db()
				.sql("UPDATE alert_endpoint SET name = :name, url = :url WHERE id = :id")
				.bind("name", label)
				.bind("url", target)
				.bind("id", id)
				.then())
			.then(audit(actor, "alert_endpoint.update", "alert_endpoint", id,
					detail("name", label, "url", target, "previousUrl", found.url(), "tenantId", found.tenantId())))
			.then(endpoint(id))));
	}

	/**
	 * Checks a tenant's webhook URL, resolving its host off the event loop; operator URLs
	 * pass.
	 */
	private Mono<Void> checkTarget(Long tenantId, String url) {
		if (tenantId == null) {
			return Mono.empty();
		}
		return Mono.<Void>fromRunnable(() -> this.targets.check(url))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(WebhookTargets.Refused.class,
					(ex) -> AdminException.invalid("Webhook URL refused: " + ex.getMessage()));
	}

	/**
	 * Gives an endpoint a new secret, shown once. The previous one keeps signing too
	 * (both signatures are sent) for {@code rotation-overlap}, so receivers can switch
	 * without missing a delivery.
	 * @param id the endpoint
	 * @param actor who rotates it
	 * @return the endpoint and its new secret
	 */
	public Mono<EndpointSecret> rotateSecret(long id, String actor) {
		String secret = newSecret();
		Instant until = Instant.now().plus(this.properties.rotationOverlap());
		Mono<EndpointSecret> rotated = endpoint(id).flatMap((found) -> this.support.db()
			.sql("""
					UPDATE alert_endpoint SET previous_secret_enc = secret_enc, previous_until = :until,
					    secret_enc = :secret WHERE id = :id""")
			.bind("until", AdminSupport.timestamp(until))
			.bind("secret", this.cipher.encrypt(secret))
			.bind("id", id)
			.then()
			.then(audit(actor, "alert_endpoint.rotate_secret", "alert_endpoint", id,
					detail("previousSecretUntil", until.toString())))
			.then(endpoint(id))
			.map((endpoint) -> new EndpointSecret(endpoint, secret)));
		return this.support.transactional(rotated);
	}

	/**
	 * Turns deliveries to an endpoint on or off (and the rules posting to it with them).
	 */
	public Mono<AlertEndpoint> setEnabled(long id, boolean enabled, String actor) {
		return this.support.transactional(endpoint(id).flatMap((found) -> this.support.db()
			.sql("UPDATE alert_endpoint SET enabled = :enabled WHERE id = :id")
			.bind("enabled", enabled)
			.bind("id", id)
			.then()
			.then(audit(actor, enabled ? "alert_endpoint.enable" : "alert_endpoint.disable", "alert_endpoint", id,
					detail("name", found.name())))
			.then(endpoint(id))));
	}

	/** Deletes an endpoint with its rules and delivery history. */
	public Mono<AlertEndpoint> deleteEndpoint(long id, String actor) {
		return this.support.transactional(endpoint(id).flatMap((found) -> this.support.db()
			.sql("DELETE FROM alert_endpoint WHERE id = :id")
			.bind("id", id)
			.then()
			.then(audit(actor, "alert_endpoint.delete", "alert_endpoint", id, detail("name", found.name())))
			.thenReturn(found)));
	}

	/**
	 * Rules, all or a tenant's.
	 * @param tenantId a tenant, or {@code null} for every rule
	 * @return the rules
	 */
	public Mono<List<AlertRule>> rules(Long tenantId) {
		return this.rules.list(tenantId);
	}

	/**
	 * Adds a rule.
	 * @param rule what to watch; its id and creation time are ignored
	 * @param actor who adds it
	 * @return the rule
	 */
	public Mono<AlertRule> createRule(NewRule rule, String actor) {
		AlertKind kind = AlertKind.parse(rule.kind());
		if (kind.operatorOnly() && rule.tenantId() != null) {
			throw AdminException.invalid("A " + kind.id() + " rule is operator-wide: it cannot belong to a tenant");
		}
		String unit = null;
		if (kind == AlertKind.BALANCE_BELOW) {
			unit = (rule.unit() == null || rule.unit().isBlank()) ? "absolute" : rule.unit();
			if (!unit.equals("absolute") && !unit.equals("percent")) {
				throw AdminException.invalid("Unit must be absolute or percent");
			}
			if (rule.threshold() == null) {
				throw AdminException.invalid("A balance rule needs a threshold");
			}
		}
		if (rule.threshold() != null && rule.threshold().signum() < 0) {
			throw AdminException.invalid("Threshold must not be negative");
		}
		String finalUnit = unit;
		Mono<AlertRule> created = endpoint(rule.endpointId()).flatMap((endpoint) -> {
			if (!Objects.equals(endpoint.tenantId(), rule.tenantId())) {
				return Mono.error(AdminException
					.invalid((rule.tenantId() != null) ? "A tenant's rule posts only to that tenant's endpoints"
							: "An operator-wide rule posts only to operator endpoints"));
			}
			var insert = this.support.db()
				.sql("""
						INSERT INTO alert_rule (tenant_id, endpoint_id, kind, threshold, unit)
						VALUES (:tenant, :endpoint, :kind, :threshold, :unit)""")
				.bind("endpoint", endpoint.id())
				.bind("kind", kind.id());
			insert = Binds.nullable(insert, "tenant", rule.tenantId(), Long.class);
			insert = Binds.nullable(insert, "threshold", rule.threshold(), BigDecimal.class);
			insert = Binds.nullable(insert, "unit", finalUnit, String.class);
			return this.support.insert(insert);
		})
			.flatMap(this.rules::get)
			.flatMap(
					(created1) -> audit(actor, "alert_rule.create", "alert_rule", created1.id(),
							detail("kind", kind.id(), "endpointId", created1.endpointId(), "tenantId",
									created1.tenantId(), "threshold", created1.threshold(), "unit", created1.unit()))
						.thenReturn(created1));
		return this.support.transactional(created);
	}

	/** Deletes a rule. */
	public Mono<AlertRule> deleteRule(long id, String actor) {
		return this.support.transactional(this.rules.get(id)
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Rule", id)))
			.flatMap((rule) -> this.support.db()
				.sql("DELETE FROM alert_rule WHERE id = :id")
				.bind("id", id)
				.then()
				.then(audit(actor, "alert_rule.delete", "alert_rule", id, detail("kind", rule.kind().id())))
				.thenReturn(rule)));
	}

	/**
	 * The latest deliveries, newest first.
	 * @param endpointId one endpoint's, or {@code null} for all
	 * @param limit most deliveries
	 * @return the deliveries
	 */
	public Mono<List<AlertDelivery>> deliveries(Long endpointId, int limit) {
		var sql = (endpointId != null) ? this.support.db()
			.sql(DELIVERY + " WHERE endpoint_id = :endpoint ORDER BY id DESC LIMIT :limit")
			.bind("endpoint", endpointId) : this.support.db().sql(DELIVERY + " ORDER BY id DESC LIMIT :limit");
		return sql.bind("limit", limit).map(Alerts::toDelivery).all().collectList();
	}

	/**
	 * A tenant's latest deliveries, newest first.
	 * @param tenantId the tenant owning the endpoints
	 * @param limit most deliveries
	 * @return the deliveries to that tenant's endpoints
	 */
	public Mono<List<AlertDelivery>> tenantDeliveries(long tenantId, int limit) {
		return this.support.db()
			.sql("SELECT d.* FROM alert_delivery d JOIN alert_endpoint e ON e.id = d.endpoint_id "
					+ "WHERE e.tenant_id = :tenant ORDER BY d.id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit)
			.map(Alerts::toDelivery)
			.all()
			.collectList();
	}

	/**
	 * Queues a {@code test} event to an endpoint and starts delivering at once, outside
	 * the worker's schedule; it is signed, retried and kept in the history like any
	 * other.
	 * @param endpointId the endpoint
	 * @param actor who asked
	 * @return the queued delivery
	 */
	public Mono<AlertDelivery> sendTest(long endpointId, String actor) {
		Mono<Long> queued = endpoint(endpointId).flatMap((endpoint) -> this.outbox
			.enqueue(endpointId, null, "test", endpoint.tenantId(),
					detail("message", "Test alert from Tollgate", "requested_by", actor))
			.flatMap((id) -> audit(actor, "alert_endpoint.test", "alert_endpoint", endpointId, Map.of())
				.thenReturn(id)));
		return this.support.transactional(queued).doOnNext((id) -> this.dispatcher.nudge()).flatMap(this::delivery);
	}

	private Mono<AlertDelivery> delivery(long id) {
		return this.support.db().sql(DELIVERY + " WHERE id = :id").bind("id", id).map(Alerts::toDelivery).one();
	}

	private Mono<Void> audit(String actor, String action, String type, long id, Map<String, Object> detail) {
		return this.support.audit(actor, action, type, Long.toString(id), detail);
	}

	private static Map<String, Object> detail(Object... pairs) {
		Map<String, Object> detail = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				detail.put((String) pairs[i], pairs[i + 1]);
			}
		}
		return detail;
	}

	private static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String required(String value, String what) {
		if (value == null || value.isBlank()) {
			throw AdminException.invalid(what + " is required");
		}
		if (value.length() > 200) {
			throw AdminException.invalid(what + " is too long");
		}
		return value.strip();
	}

	private static String url(String value) {
		String url = required(value, "URL");
		try {
			URI uri = URI.create(url);
			if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
				throw AdminException.invalid("URL must be an absolute http or https URL");
			}
		}
		catch (IllegalArgumentException ex) {
			throw AdminException.invalid("URL is not valid");
		}
		return url;
	}

	private static AlertEndpoint toEndpoint(Readable row) {
		return new AlertEndpoint(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("name", String.class), row.get("url", String.class), row.get("enabled", Boolean.class),
				AdminSupport.instant(row, "previous_until"), AdminSupport.instant(row, "created_at"));
	}

	private static AlertDelivery toDelivery(Readable row) {
		return new AlertDelivery(row.get("id", Long.class), row.get("endpoint_id", Long.class),
				row.get("rule_id", Long.class), row.get("tenant_id", Long.class), row.get("event_id", String.class),
				row.get("event_type", String.class), row.get("status", String.class),
				row.get("attempts", Integer.class), AdminSupport.instant(row, "next_attempt_at"),
				row.get("last_status", Integer.class), row.get("last_error", String.class),
				AdminSupport.instant(row, "created_at"), AdminSupport.instant(row, "delivered_at"),
				row.get("payload", String.class));
	}

	/**
	 * A rule to add.
	 *
	 * @param tenantId the only tenant it watches, or {@code null} for every tenant
	 * @param endpointId where it posts (the same tenant's endpoint, or an operator's)
	 * @param kind one of {@link AlertKind}'s ids
	 * @param threshold the threshold: an amount or a percentage for balances, a
	 * percentage of the limit for windows and quotas (default 100), days for expiring
	 * keys (default 7), entries for the journal backlog (default 1000)
	 * @param unit {@code absolute} or {@code percent}, for balances
	 */
	public record NewRule(Long tenantId, long endpointId, String kind, BigDecimal threshold, String unit) {

	}

}
