package io.tollgate.admin.portal.api;

import java.math.BigDecimal;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.alerts.AlertDelivery;
import io.tollgate.billing.alerts.AlertEndpoint;
import io.tollgate.billing.alerts.AlertRule;
import io.tollgate.billing.alerts.EndpointSecret;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.TenantNotifications;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's notifications through the tenant API: webhook endpoints (the signing
 * secret is in the answer to a creation or rotation only; URLs must be public
 * {@code https}), the rules that post to them, test deliveries and the delivery history.
 * Scoped to the token's tenant: another tenant's ids are not found.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/tenant/notifications")
class TenantNotificationsApi {

	private final TenantNotifications notifications;

	TenantNotificationsApi(TenantNotifications notifications) {
		this.notifications = notifications;
	}

	/** The tenant's webhook endpoints. */
	@GetMapping("/endpoints")
	Mono<List<AlertEndpoint>> endpoints(@AuthenticationPrincipal TenantPrincipal tenant) {
		return this.notifications.endpoints(tenant);
	}

	/** One of the tenant's webhook endpoints. */
	@GetMapping("/endpoints/{id}")
	Mono<AlertEndpoint> endpoint(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.endpoint(tenant, id);
	}

	/** Adds a webhook endpoint; its signing secret is in this answer only. */
	@PostMapping("/endpoints")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<EndpointSecret> create(@AuthenticationPrincipal TenantPrincipal tenant, @RequestBody EndpointBody body) {
		return this.notifications.createEndpoint(tenant, (body.name() != null) ? body.name() : "webhook", body.url());
	}

	/** Changes an endpoint's URL (and name, when given). */
	@PutMapping("/endpoints/{id}")
	Mono<AlertEndpoint> update(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			@RequestBody EndpointBody body) {
		return this.notifications.updateEndpoint(tenant, id, body.name(), body.url());
	}

	/** Turns deliveries to an endpoint on or off. */
	@PostMapping("/endpoints/{id}/enabled")
	Mono<AlertEndpoint> enable(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			@RequestBody Enabled body) {
		// another tenant's endpoint is not found, whatever the body says
		return this.notifications.endpoint(tenant, id)
			.then(Mono.defer(() -> (body.enabled() != null) ? this.notifications.setEnabled(tenant, id, body.enabled())
					: Mono.error(AdminException.invalid("enabled (true or false) is required"))));
	}

	/**
	 * Gives an endpoint a new signing secret, in this answer only; the previous one keeps
	 * signing too for a while.
	 */
	@PostMapping("/endpoints/{id}/rotate-secret")
	Mono<EndpointSecret> rotate(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.rotateSecret(tenant, id);
	}

	/** Sends a signed {@code test} event to an endpoint now. */
	@PostMapping("/endpoints/{id}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<AlertDelivery> test(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.sendTest(tenant, id);
	}

	/** Deletes an endpoint with its rules and history. */
	@DeleteMapping("/endpoints/{id}")
	Mono<AlertEndpoint> delete(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.deleteEndpoint(tenant, id);
	}

	/** The tenant's rules. */
	@GetMapping("/rules")
	Mono<List<AlertRule>> rules(@AuthenticationPrincipal TenantPrincipal tenant) {
		return this.notifications.rules(tenant);
	}

	/** Adds a rule posting to one of the tenant's endpoints. */
	@PostMapping("/rules")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<AlertRule> createRule(@AuthenticationPrincipal TenantPrincipal tenant, @RequestBody RuleBody body) {
		return this.notifications.createRule(tenant, body.endpointId(), body.kind(), body.threshold(), body.unit());
	}

	/** Deletes a rule. */
	@DeleteMapping("/rules/{id}")
	Mono<AlertRule> deleteRule(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.deleteRule(tenant, id);
	}

	/**
	 * Sets the low-balance alert: one rule posting to the endpoint when the balance falls
	 * below the threshold; without a threshold, removes it (204).
	 */
	@PutMapping("/low-balance")
	Mono<ResponseEntity<AlertRule>> lowBalance(@AuthenticationPrincipal TenantPrincipal tenant,
			@RequestBody LowBalance body) {
		return this.notifications.setLowBalance(tenant, body.endpointId(), body.threshold(), body.unit())
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.noContent().build());
	}

	/** The latest deliveries to the tenant's endpoints, newest first. */
	@GetMapping("/deliveries")
	Mono<List<AlertDelivery>> deliveries(@AuthenticationPrincipal TenantPrincipal tenant,
			@RequestParam(defaultValue = "50") int limit) {
		return this.notifications.deliveries(tenant, limit);
	}

	/**
	 * A webhook endpoint as a tenant sets it.
	 *
	 * @param name a label (default {@code webhook})
	 * @param url a public {@code https} URL without credentials
	 */
	record EndpointBody(String name, String url) {
	}

	/**
	 * Whether deliveries are made.
	 *
	 * @param enabled on or off
	 */
	record Enabled(Boolean enabled) {
	}

	/**
	 * A rule as a tenant sets it.
	 *
	 * @param endpointId one of the tenant's endpoints
	 * @param kind {@code balance_below}, {@code subscription_window_spent},
	 * {@code key_quota_spent} or {@code key_expiring}
	 * @param threshold an amount or percentage for balances, a percentage for windows and
	 * quotas (default 100), days for expiring keys (default 7)
	 * @param unit {@code absolute} or {@code percent}, for balances
	 */
	record RuleBody(long endpointId, String kind, BigDecimal threshold, String unit) {
	}

	/**
	 * The low-balance alert.
	 *
	 * @param endpointId one of the tenant's endpoints
	 * @param threshold an amount, or a percentage of what was credited; {@code null}
	 * removes the alert
	 * @param unit {@code absolute} (default) or {@code percent}
	 */
	record LowBalance(long endpointId, BigDecimal threshold, String unit) {
	}

}
