package io.tollgate.admin.console;

import java.security.Principal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import reactor.core.publisher.Mono;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who may administer: console users (with whether their second factor is on) and admin
 * API tokens (ADMIN only).
 */
@Controller
@ConsoleEnabled
class AccessPages {

	private final ConsoleUsers users;

	private final AdminTokens tokens;

	private final PasswordEncoder passwords;

	private final SecondFactors factors;

	AccessPages(ConsoleUsers users, AdminTokens tokens, PasswordEncoder passwords, SecondFactors factors) {
		this.factors = factors;
		this.users = users;
		this.tokens = tokens;
		this.passwords = passwords;
	}

	@GetMapping("/admin/users")
	Mono<String> access(Model model) {
		return Mono.zip(this.users.list(), this.tokens.list(), this.factors.enabledIds(SecondFactorSubject.CONSOLE))
			.map((t) -> {
				model.addAttribute("users", t.getT1());
				model.addAttribute("tokens", t.getT2());
				model.addAttribute("totp", t.getT3());
				return "admin/access";
			});
	}

	@PostMapping("/admin/users")
	Mono<String> createUser(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			String password = form.raw("password");
			if (password == null || password.length() < 12) {
				return Mono.error(AdminException.invalid("Passwords need at least 12 characters"));
			}
			return this.users.create(form.text("username"), this.passwords.encode(password), form.text("role"),
					principal.getName());
		}).thenReturn("redirect:/admin/users");
	}

	@PostMapping("/admin/users/{username}/status")
	Mono<String> status(@PathVariable String username, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			if (username.equals(principal.getName())) {
				return Mono.error(AdminException.invalid("You cannot disable yourself"));
			}
			return this.users.setStatus(username, form.text("status"), principal.getName());
		}).thenReturn("redirect:/admin/users");
	}

	@PostMapping("/admin/tokens")
	Mono<String> issueToken(ServerWebExchange exchange, Principal principal, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.tokens.issue(form.text("name"), form.text("role"), principal.getName()))
			.map((issued) -> {
				model.addAttribute("issued", issued);
				model.addAttribute("baseUrl", KeyPages.baseUrl(exchange));
				return "admin/token-issued";
			});
	}

	@PostMapping("/admin/tokens/{id}/revoke")
	Mono<String> revokeToken(@PathVariable long id, Principal principal) {
		return this.tokens.revoke(id, principal.getName()).thenReturn("redirect:/admin/users");
	}

}
