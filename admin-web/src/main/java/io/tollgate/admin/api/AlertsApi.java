package io.tollgate.admin.api;

import java.security.Principal;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.alerts.AlertDelivery;
import io.tollgate.billing.alerts.AlertEndpoint;
import io.tollgate.billing.alerts.AlertRule;
import io.tollgate.billing.alerts.Alerts;
import io.tollgate.billing.alerts.EndpointSecret;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for alerts: webhook endpoints (the signing secret is in the answer to a
 * creation or rotation only), rules, the delivery history and test deliveries.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin/alerts")
class AlertsApi {

	private final Alerts alerts;

	AlertsApi(Alerts alerts) {
		this.alerts = alerts;
	}

	@GetMapping("/endpoints")
	Mono<List<AlertEndpoint>> endpoints(@RequestParam(required = false) Long tenantId) {
		return this.alerts.endpoints(tenantId);
	}

	@PostMapping("/endpoints")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<EndpointSecret> createEndpoint(@RequestBody EndpointBody body, Principal principal) {
		return Mono
			.defer(() -> this.alerts.createEndpoint(body.tenantId(), body.name(), body.url(), principal.getName()));
	}

	@PostMapping("/endpoints/{id}/rotate-secret")
	Mono<EndpointSecret> rotate(@PathVariable long id, Principal principal) {
		return this.alerts.rotateSecret(id, principal.getName());
	}

	@PostMapping("/endpoints/{id}/enabled")
	Mono<AlertEndpoint> enable(@PathVariable long id, @RequestBody Enabled body, Principal principal) {
		return this.alerts.setEnabled(id, body.enabled(), principal.getName());
	}

	@PostMapping("/endpoints/{id}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<AlertDelivery> test(@PathVariable long id, Principal principal) {
		return this.alerts.sendTest(id, principal.getName());
	}

	@DeleteMapping("/endpoints/{id}")
	Mono<AlertEndpoint> deleteEndpoint(@PathVariable long id, Principal principal) {
		return this.alerts.deleteEndpoint(id, principal.getName());
	}

	@GetMapping("/rules")
	Mono<List<AlertRule>> rules(@RequestParam(required = false) Long tenantId) {
		return this.alerts.rules(tenantId);
	}

	@PostMapping("/rules")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<AlertRule> createRule(@RequestBody Alerts.NewRule body, Principal principal) {
		return Mono.defer(() -> this.alerts.createRule(body, principal.getName()));
	}

	@DeleteMapping("/rules/{id}")
	Mono<AlertRule> deleteRule(@PathVariable long id, Principal principal) {
		return this.alerts.deleteRule(id, principal.getName());
	}

	@GetMapping("/deliveries")
	Mono<List<AlertDelivery>> deliveries(@RequestParam(required = false) Long endpointId,
			@RequestParam(defaultValue = "100") int limit) {
		return this.alerts.deliveries(endpointId, Math.min(Math.max(limit, 1), 1000));
	}

	/**
	 * A webhook endpoint to add.
	 *
	 * @param tenantId the tenant it belongs to, or {@code null} for the operator's
	 * @param name a label
	 * @param url where deliveries are posted ({@code http} or {@code https})
	 */
	record EndpointBody(Long tenantId, String name, String url) {
	}

	/**
	 * Whether deliveries are made.
	 *
	 * @param enabled on or off
	 */
	record Enabled(boolean enabled) {
	}

}
