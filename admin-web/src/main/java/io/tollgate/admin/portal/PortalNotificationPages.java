package io.tollgate.admin.portal;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Form;
import io.tollgate.billing.alerts.AlertEndpoint;
import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.alerts.EndpointSecret;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.TenantNotifications;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Notifications: the tenant's webhook endpoints (secret shown once, test button,
 * rotation), its low-balance threshold and other alert rules, and the recent deliveries.
 * Members see it; only the owner changes it.
 */
@Controller
@ConsoleEnabled
class PortalNotificationPages {

	private static final String PAGE = "redirect:/portal/notifications";

	private final TenantNotifications notifications;

	PortalNotificationPages(TenantNotifications notifications) {
		this.notifications = notifications;
	}

	@GetMapping("/portal/notifications")
	Mono<String> page(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		model.addAttribute("tested", exchange.getRequest().getQueryParams().containsKey("tested"));
		return Mono
			.zip(this.notifications.endpoints(tenant), this.notifications.rules(tenant),
					this.notifications.deliveries(tenant, 50))
			.map((t) -> {
				Map<Long, String> names = t.getT1()
					.stream()
					.collect(Collectors.toMap(AlertEndpoint::id, AlertEndpoint::name));
				model.addAttribute("endpoints", t.getT1());
				model.addAttribute("endpointNames", names);
				model.addAttribute("rules", t.getT2());
				model.addAttribute("lowBalance",
						t.getT2()
							.stream()
							.filter((rule) -> rule.kind() == AlertKind.BALANCE_BELOW)
							.findFirst()
							.orElse(null));
				model.addAttribute("deliveries", t.getT3());
				model.addAttribute("kinds",
						Arrays.stream(AlertKind.values()).filter((kind) -> !kind.operatorOnly()).toList());
				return "portal/notifications";
			});
	}

	@PostMapping("/portal/notifications/endpoints")
	Mono<String> create(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.notifications.createEndpoint(tenant,
					(form.text("name") != null) ? form.text("name") : "webhook", form.text("url")))
			.map((issued) -> issued(issued, model));
	}

	@PostMapping("/portal/notifications/endpoints/{id}")
	Mono<String> update(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.notifications.updateEndpoint(tenant, id, form.text("name"), form.text("url")))
			.thenReturn(PAGE);
	}

	@PostMapping("/portal/notifications/endpoints/{id}/rotate")
	Mono<String> rotate(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id, Model model) {
		return this.notifications.rotateSecret(tenant, id).map((issued) -> issued(issued, model));
	}

	@PostMapping("/portal/notifications/endpoints/{id}/test")
	Mono<String> test(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.sendTest(tenant, id).thenReturn(PAGE + "?tested");
	}

	@PostMapping("/portal/notifications/endpoints/{id}/enabled")
	Mono<String> enabled(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.notifications.setEnabled(tenant, id, "true".equals(form.text("enabled"))))
			.thenReturn(PAGE);
	}

	@PostMapping("/portal/notifications/endpoints/{id}/delete")
	Mono<String> delete(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.deleteEndpoint(tenant, id).thenReturn(PAGE);
	}

	@PostMapping("/portal/notifications/low-balance")
	Mono<String> lowBalance(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.notifications
				.setLowBalance(tenant, form.id("endpointId"), form.decimal("threshold"), form.text("unit"))
				.then())
			.thenReturn(PAGE);
	}

	@PostMapping("/portal/notifications/rules")
	Mono<String> createRule(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.notifications.createRule(tenant, form.id("endpointId"), form.text("kind"),
					form.decimal("threshold"), form.text("unit")))
			.thenReturn(PAGE);
	}

	@PostMapping("/portal/notifications/rules/{id}/delete")
	Mono<String> deleteRule(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.notifications.deleteRule(tenant, id).thenReturn(PAGE);
	}

	private static String issued(EndpointSecret issued, Model model) {
		model.addAttribute("issued", issued);
		return "portal/notification-secret";
	}

}
