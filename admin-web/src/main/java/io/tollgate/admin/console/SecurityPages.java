package io.tollgate.admin.console;

import java.security.Principal;

import io.tollgate.admin.config.AdminProperties;
import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.config.SecondFactorLogin;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * A console user's own security page (the TOTP second factor: set up with a QR code and a
 * confirming code, recovery codes shown once, switched off with a code), the login's code
 * step, and an admin's reset of another admin's second factor.
 */
@Controller
@ConsoleEnabled
class SecurityPages {

	private final ConsoleUsers users;

	private final SecondFactors factors;

	private final boolean required;

	SecurityPages(ConsoleUsers users, SecondFactors factors, AdminProperties properties) {
		this.users = users;
		this.factors = factors;
		this.required = properties.totp().required();
	}

	@GetMapping("/admin/login/code")
	String code(ServerWebExchange exchange, Model model) {
		model.addAttribute("error", exchange.getRequest().getQueryParams().containsKey("error"));
		return "admin/login-code";
	}

	@GetMapping("/admin/security")
	Mono<String> page(Principal principal, ServerWebExchange exchange, Model model) {
		var query = exchange.getRequest().getQueryParams();
		model.addAttribute("required", this.required);
		model.addAttribute("mustEnrol", query.containsKey("required"));
		model.addAttribute("switchedOff", query.containsKey("off"));
		return subject(principal).flatMap((subject) -> page(subject, model));
	}

	@PostMapping("/admin/security/enrol")
	Mono<String> enrol(Principal principal) {
		return subject(principal).flatMap(this.factors::begin).thenReturn("redirect:/admin/security");
	}

	@PostMapping("/admin/security/confirm")
	Mono<String> confirm(Principal principal, ServerWebExchange exchange, Model model) {
		model.addAttribute("required", this.required);
		return Mono.zip(subject(principal), exchange.getFormData().map(Form::new))
			.flatMap((t) -> this.factors.confirm(t.getT1(), t.getT2().text("code"), principal.getName())
				.flatMap((codes) -> exchange.getSession()
					.doOnNext((session) -> session.getAttributes().remove(SecondFactorLogin.ENROLMENT_REQUIRED))
					.thenReturn(codes))
				.flatMap((codes) -> {
					model.addAttribute("recoveryCodes", codes);
					return page(t.getT1(), model);
				}));
	}

	@PostMapping("/admin/security/disable")
	Mono<String> disable(Principal principal, ServerWebExchange exchange) {
		if (this.required) {
			return Mono.error(AdminException
				.invalid("The operator requires two-step login for the console; an admin can reset it instead"));
		}
		return Mono.zip(subject(principal), exchange.getFormData().map(Form::new))
			.flatMap((t) -> this.factors.disable(t.getT1(), t.getT2().raw("code"), principal.getName()))
			.thenReturn("redirect:/admin/security?off");
	}

	@PostMapping("/admin/users/{username}/totp/reset")
	Mono<String> reset(@PathVariable String username, Principal principal) {
		if (username.equals(principal.getName())) {
			return Mono.error(AdminException
				.invalid("Switch your own two-step login off on your security page; another admin can reset it"));
		}
		return this.users.find(username)
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("User", username)))
			.flatMap((user) -> this.factors.reset(SecondFactorSubject.console(user.id(), user.username()),
					principal.getName()))
			.thenReturn("redirect:/admin/users");
	}

	private Mono<String> page(SecondFactorSubject subject, Model model) {
		return SecondFactorPage.render(this.factors, subject, model, "admin/security");
	}

	private Mono<SecondFactorSubject> subject(Principal principal) {
		return this.users.find(principal.getName())
			.map((user) -> SecondFactorSubject.console(user.id(), user.username()))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("User", principal.getName())));
	}

}
