package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.alerts.AlertDelivery;
import io.tollgate.billing.alerts.AlertEndpoint;
import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.alerts.AlertRule;
import io.tollgate.billing.alerts.Alerts;
import io.tollgate.billing.alerts.EndpointSecret;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's own notifications: its webhook endpoints (URLs checked by the alerts' target
 * rules, secrets shown once), the rules that post to them (low balance, spent windows and
 * quotas, expiring keys) and their delivery history. Everything is scoped to the
 * principal's tenant: another tenant's endpoint, rule or delivery is simply not found.
 * Members read; only the owner (or a tenant API token) changes, and every change is
 * audited with the principal as actor.
 */
public class TenantNotifications {

	private static final String WHAT = "notifications";

	private final Alerts alerts;

	public TenantNotifications(Alerts alerts) {
		this.alerts = alerts;
	}

	/** The tenant's endpoints. */
	public Mono<List<AlertEndpoint>> endpoints(TenantPrincipal principal) {
		return this.alerts.endpoints(principal.tenantId());
	}

	/** One of the tenant's endpoints; another tenant's is not found. */
	public Mono<AlertEndpoint> endpoint(TenantPrincipal principal, long id) {
		return this.alerts.endpoint(id)
			.onErrorResume(AdminException.class, (ex) -> Mono.empty())
			.filter((endpoint) -> Objects.equals(endpoint.tenantId(), principal.tenantId()))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Endpoint", id)));
	}

	/** Adds an endpoint; its signing secret is in the answer only. */
	public Mono<EndpointSecret> createEndpoint(TenantPrincipal principal, String name, String url) {
		return Mono.defer(() -> {
			OwnerOnly.require(principal, WHAT);
			return this.alerts.createEndpoint(principal.tenantId(), name, url, principal.actor());
		});
	}

	/** Changes an endpoint's name and URL. */
	public Mono<AlertEndpoint> updateEndpoint(TenantPrincipal principal, long id, String name, String url) {
		return owned(principal, id).flatMap((found) -> this.alerts.updateEndpoint(id,
				(name == null || name.isBlank()) ? found.name() : name, url, principal.actor()));
	}

	/** Turns deliveries to an endpoint on or off. */
	public Mono<AlertEndpoint> setEnabled(TenantPrincipal principal, long id, boolean enabled) {
		return owned(principal, id).flatMap((found) -> this.alerts.setEnabled(id, enabled, principal.actor()));
	}

	/**
	 * Gives an endpoint a new secret, shown once; the previous one keeps signing a while.
	 */
	public Mono<EndpointSecret> rotateSecret(TenantPrincipal principal, long id) {
		return owned(principal, id).flatMap((found) -> this.alerts.rotateSecret(id, principal.actor()));
	}

	/** Sends a signed {@code test} event to an endpoint now. */
	public Mono<AlertDelivery> sendTest(TenantPrincipal principal, long id) {
		return owned(principal, id).flatMap((found) -> this.alerts.sendTest(id, principal.actor()));
	}

	/** Deletes an endpoint with its rules and history. */
	public Mono<AlertEndpoint> deleteEndpoint(TenantPrincipal principal, long id) {
		return owned(principal, id).flatMap((found) -> this.alerts.deleteEndpoint(id, principal.actor()));
	}

	/** The tenant's rules. */
	public Mono<List<AlertRule>> rules(TenantPrincipal principal) {
		return this.alerts.rules(principal.tenantId());
	}

	/**
	 * Adds a rule watching the tenant and posting to one of its endpoints.
	 * @param principal who acts
	 * @param endpointId one of the tenant's endpoints
	 * @param kind {@code balance_below}, {@code subscription_window_spent},
	 * {@code key_quota_spent} or {@code key_expiring}
	 * @param threshold the threshold, or {@code null} for the kind's default
	 * @param unit {@code absolute} or {@code percent}, for balances
	 * @return the rule
	 */
	public Mono<AlertRule> createRule(TenantPrincipal principal, long endpointId, String kind, BigDecimal threshold,
			String unit) {
		return owned(principal, endpointId).flatMap((endpoint) -> {
			if (AlertKind.parse(kind).operatorOnly()) {
				return Mono.error(AdminException.invalid("A " + kind + " rule is for the operator only"));
			}
			return this.alerts.createRule(new Alerts.NewRule(principal.tenantId(), endpointId, kind, threshold, unit),
					principal.actor());
		});
	}

	/** Deletes one of the tenant's rules. */
	public Mono<AlertRule> deleteRule(TenantPrincipal principal, long id) {
		return Mono.defer(() -> {
			OwnerOnly.require(principal, WHAT);
			return rule(principal, id).flatMap((rule) -> this.alerts.deleteRule(id, principal.actor()));
		});
	}

	/**
	 * Sets the tenant's low-balance alert: replaces its balance rules with one posting to
	 * the given endpoint, or removes them when the threshold is {@code null}.
	 * @param principal who acts
	 * @param endpointId one of the tenant's endpoints
	 * @param threshold an amount, or a percentage of what was credited; {@code null} to
	 * remove the alert
	 * @param unit {@code absolute} (default) or {@code percent}
	 * @return the new rule, or empty when removed
	 */
	public Mono<AlertRule> setLowBalance(TenantPrincipal principal, long endpointId, BigDecimal threshold,
			String unit) {
		if (threshold != null && threshold.signum() < 0) {
			return Mono.error(AdminException.invalid("Threshold must not be negative"));
		}
		if (unit != null && !unit.isBlank() && !unit.equals("absolute") && !unit.equals("percent")) {
			return Mono.error(AdminException.invalid("Unit must be absolute or percent"));
		}
		Mono<Void> removed = owned(principal, endpointId).then(rules(principal))
			.flatMapMany(Flux::fromIterable)
			.filter((rule) -> rule.kind() == AlertKind.BALANCE_BELOW)
			.concatMap((rule) -> this.alerts.deleteRule(rule.id(), principal.actor()))
			.then();
		if (threshold == null) {
			return removed.then(Mono.empty());
		}
		return removed.then(Mono.defer(() -> this.alerts.createRule(
				new Alerts.NewRule(principal.tenantId(), endpointId, AlertKind.BALANCE_BELOW.id(), threshold, unit),
				principal.actor())));
	}

	/** The latest deliveries to the tenant's endpoints, newest first. */
	public Mono<List<AlertDelivery>> deliveries(TenantPrincipal principal, int limit) {
		return this.alerts.tenantDeliveries(principal.tenantId(), Math.min(Math.max(limit, 1), 500));
	}

	private Mono<AlertEndpoint> owned(TenantPrincipal principal, long id) {
		return Mono.defer(() -> {
			OwnerOnly.require(principal, WHAT);
			return endpoint(principal, id);
		});
	}

	private Mono<AlertRule> rule(TenantPrincipal principal, long id) {
		return rules(principal)
			.flatMap((rules) -> Mono.justOrEmpty(rules.stream().filter((rule) -> rule.id() == id).findFirst()))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Rule", id)));
	}

}
