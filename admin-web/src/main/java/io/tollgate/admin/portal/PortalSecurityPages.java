package io.tollgate.admin.portal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Form;
import io.tollgate.admin.console.SecondFactorPage;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * A tenant user's own security page (the TOTP second factor: set up with a QR code and a
 * confirming code, recovery codes shown once, switched off with a code) and the login's
 * code step.
 */
@Controller
@ConsoleEnabled
class PortalSecurityPages {

	private final SecondFactors factors;

	PortalSecurityPages(SecondFactors factors) {
		this.factors = factors;
	}

	@GetMapping("/portal/login/code")
	String code(ServerWebExchange exchange, Model model) {
		model.addAttribute("error", exchange.getRequest().getQueryParams().containsKey("error"));
		return "portal/login-code";
	}

	@GetMapping("/portal/security")
	Mono<String> page(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		model.addAttribute("switchedOff", exchange.getRequest().getQueryParams().containsKey("off"));
		return page(subject(tenant), model);
	}

	@PostMapping("/portal/security/enrol")
	Mono<String> enrol(@AuthenticationPrincipal TenantPrincipal tenant) {
		return this.factors.begin(subject(tenant)).thenReturn("redirect:/portal/security");
	}

	@PostMapping("/portal/security/confirm")
	Mono<String> confirm(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		SecondFactorSubject subject = subject(tenant);
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.factors.confirm(subject, form.text("code"), tenant.actor()))
			.flatMap((codes) -> {
				model.addAttribute("recoveryCodes", codes);
				return page(subject, model);
			});
	}

	@PostMapping("/portal/security/disable")
	Mono<String> disable(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.factors.disable(subject(tenant), form.raw("code"), tenant.actor()))
			.thenReturn("redirect:/portal/security?off");
	}

	private Mono<String> page(SecondFactorSubject subject, Model model) {
		return SecondFactorPage.render(this.factors, subject, model, "portal/security");
	}

	private static SecondFactorSubject subject(TenantPrincipal tenant) {
		if (tenant.userId() == null) {
			throw AdminException.invalid("Only a tenant user has a second factor");
		}
		return SecondFactorSubject.tenant(tenant.userId(), tenant.name());
	}

}
