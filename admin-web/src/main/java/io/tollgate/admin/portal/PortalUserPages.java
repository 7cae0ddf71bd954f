package io.tollgate.admin.portal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Form;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The owner's page: the tenant's users (invite one, or make a new set-password link) and
 * its tenant API tokens (issue, shown once; revoke). No mail is sent: the link is shown
 * to the owner, who passes it on.
 */
@Controller
@ConsoleEnabled
class PortalUserPages {

	private final TenantUsers users;

	private final TenantApiTokens tokens;

	PortalUserPages(TenantUsers users, TenantApiTokens tokens) {
		this.users = users;
		this.tokens = tokens;
	}

	@GetMapping("/portal/users")
	Mono<String> list(@AuthenticationPrincipal TenantPrincipal tenant, Model model) {
		return Mono.zip(this.users.list(tenant), this.tokens.list(tenant)).map((t) -> {
			model.addAttribute("users", t.getT1());
			model.addAttribute("tokens", t.getT2());
			return "portal/users";
		});
	}

	@PostMapping("/portal/users")
	Mono<String> invite(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.users.invite(tenant, form.text("login"), form.text("role")))
			.map((invited) -> invited(invited, exchange, model));
	}

	@PostMapping("/portal/users/{id}/link")
	Mono<String> link(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange, Model model) {
		return this.users.newLink(tenant, id).map((invited) -> invited(invited, exchange, model));
	}

	@PostMapping("/portal/tokens")
	Mono<String> issueToken(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.tokens.issue(tenant, form.text("name")))
			.map((issued) -> {
				model.addAttribute("issued", issued);
				model.addAttribute("curlSnippet", "curl " + PortalKeyPages.baseUrl(exchange)
						+ "/api/tenant/balance -H 'Authorization: Bearer " + issued.secret() + "'");
				return "portal/token-issued";
			});
	}

	@PostMapping("/portal/tokens/{id}/revoke")
	Mono<String> revokeToken(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.tokens.revoke(tenant, id).thenReturn("redirect:/portal/users");
	}

	private static String invited(TenantUser.Invited invited, ServerWebExchange exchange, Model model) {
		model.addAttribute("invited", invited);
		model.addAttribute("link", PortalKeyPages.baseUrl(exchange) + "/portal/welcome/" + invited.token());
		return "portal/invited";
	}

}
