package io.tollgate.admin.portal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Form;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The portal's login page and the one-time link that sets a tenant user's password.
 */
@Controller
@ConsoleEnabled
class PortalLoginPages {

	/** Shortest password a tenant user may set. */
	static final int MIN_PASSWORD = 12;

	private final TenantUsers users;

	private final PasswordEncoder passwords;

	PortalLoginPages(TenantUsers users, PasswordEncoder passwords) {
		this.users = users;
		this.passwords = passwords;
	}

	@GetMapping("/portal/login")
	String login(ServerWebExchange exchange, Model model) {
		var query = exchange.getRequest().getQueryParams();
		model.addAttribute("error", query.containsKey("error"));
		model.addAttribute("locked", query.containsKey("locked"));
		model.addAttribute("expired", query.containsKey("expired"));
		model.addAttribute("loggedOut", query.containsKey("logout"));
		model.addAttribute("welcome", query.containsKey("welcome"));
		return "portal/login";
	}

	@GetMapping("/portal/welcome/{token}")
	Mono<String> welcome(@PathVariable String token, Model model, ServerWebExchange exchange) {
		return this.users.pending(token).map((user) -> {
			model.addAttribute("user", user);
			model.addAttribute("token", token);
			return "portal/welcome";
		}).switchIfEmpty(Mono.fromSupplier(() -> {
			exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
			model.addAttribute("message", "This link is invalid, used or expired. Ask your tenant's owner or "
					+ "the operator for a new one.");
			return "portal/error";
		}));
	}

	@PostMapping("/portal/welcome/{token}")
	Mono<String> setPassword(@PathVariable String token, ServerWebExchange exchange) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			String password = form.raw("password");
			if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
				return Mono.error(AdminException
					.invalid("A password has " + MIN_PASSWORD + " to 200 characters; choose a longer one"));
			}
			if (!password.equals(form.raw("confirm"))) {
				return Mono.error(AdminException.invalid("The two passwords differ"));
			}
			return Mono.fromCallable(() -> this.passwords.encode(password))
				.subscribeOn(Schedulers.boundedElastic())
				.flatMap((hash) -> this.users.setPassword(token, hash));
		}).thenReturn("redirect:/portal/login?welcome");
	}

}
