package io.tollgate.admin.console;

import java.security.Principal;
import java.util.stream.Collectors;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.alerts.AlertEndpoint;
import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.alerts.Alerts;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Alerts: webhook endpoints (secret shown once), rules, delivery history, test button.
 */
@Controller
@ConsoleEnabled
class AlertPages {

	private final Alerts alerts;

	private final TenantAdmin tenants;

	AlertPages(Alerts alerts, TenantAdmin tenants) {
		this.alerts = alerts;
		this.tenants = tenants;
	}

	@GetMapping("/admin/alerts")
	Mono<String> alerts(Model model) {
		return Mono
			.zip(this.alerts.endpoints(null), this.alerts.rules(null), this.alerts.deliveries(null, 100),
					this.tenants.list())
			.map((t) -> {
				model.addAttribute("endpoints", t.getT1());
				model.addAttribute("endpointNames",
						t.getT1().stream().collect(Collectors.toMap(AlertEndpoint::id, AlertEndpoint::name)));
				model.addAttribute("rules", t.getT2());
				model.addAttribute("deliveries", t.getT3());
				model.addAttribute("tenants", t.getT4());
				model.addAttribute("tenantNames",
						t.getT4().stream().collect(java.util.stream.Collectors.toMap(Tenant::id, Tenant::name)));
				model.addAttribute("kinds", AlertKind.values());
				return "admin/alerts";
			});
	}

	@PostMapping("/admin/alerts/endpoints")
	Mono<String> createEndpoint(ServerWebExchange exchange, Principal principal, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.alerts.createEndpoint(tenant(form), form.text("name"), form.text("url"),
					principal.getName()))
			.map((issued) -> {
				model.addAttribute("issued", issued);
				return "admin/alert-secret";
			});
	}

	@PostMapping("/admin/alerts/endpoints/{id}/rotate")
	Mono<String> rotate(@PathVariable long id, Principal principal, Model model) {
		return this.alerts.rotateSecret(id, principal.getName()).map((issued) -> {
			model.addAttribute("issued", issued);
			return "admin/alert-secret";
		});
	}

	@PostMapping("/admin/alerts/endpoints/{id}/test")
	Mono<String> test(@PathVariable long id, Principal principal) {
		return this.alerts.sendTest(id, principal.getName()).thenReturn("redirect:/admin/alerts");
	}

	@PostMapping("/admin/alerts/endpoints/{id}/enabled")
	Mono<String> enabled(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.alerts.setEnabled(id, "true".equals(form.text("enabled")), principal.getName()))
			.thenReturn("redirect:/admin/alerts");
	}

	@PostMapping("/admin/alerts/endpoints/{id}/delete")
	Mono<String> deleteEndpoint(@PathVariable long id, Principal principal) {
		return this.alerts.deleteEndpoint(id, principal.getName()).thenReturn("redirect:/admin/alerts");
	}

	@PostMapping("/admin/alerts/rules")
	Mono<String> createRule(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.alerts.createRule(new Alerts.NewRule(tenant(form), form.id("endpointId"),
					form.text("kind"), form.decimal("threshold"), form.text("unit")), principal.getName()))
			.thenReturn("redirect:/admin/alerts");
	}

	@PostMapping("/admin/alerts/rules/{id}/delete")
	Mono<String> deleteRule(@PathVariable long id, Principal principal) {
		return this.alerts.deleteRule(id, principal.getName()).thenReturn("redirect:/admin/alerts");
	}

	private static Long tenant(Form form) {
		Integer id = form.integer("tenantId");
		return (id != null) ? id.longValue() : null;
	}

}
