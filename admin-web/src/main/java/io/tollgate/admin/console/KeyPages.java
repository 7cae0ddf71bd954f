package io.tollgate.admin.console;

import java.net.URI;
import java.security.Principal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.TenantAdmin;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tenant API keys: issue (the secret shown once, with snippets for Claude Code and curl),
 * edit limits, models, expiry and addresses, revoke.
 */
@Controller
@ConsoleEnabled
class KeyPages {

	private final KeyAdmin keys;

	private final TenantAdmin tenants;

	private final GroupAdmin groups;

	KeyPages(KeyAdmin keys, TenantAdmin tenants, GroupAdmin groups) {
		this.keys = keys;
		this.tenants = tenants;
		this.groups = groups;
	}

	@GetMapping("/admin/keys")
	Mono<String> list(@RequestParam(required = false) Long tenantId, Model model) {
		return Mono.zip(this.keys.list(tenantId), this.tenants.list(), this.groups.list()).map((t) -> {
			model.addAttribute("keys", t.getT1());
			model.addAttribute("tenants", t.getT2());
			model.addAttribute("groups", t.getT3());
			model.addAttribute("tenantId", tenantId);
			return "admin/keys";
		});
	}

	@PostMapping("/admin/keys")
	Mono<String> issue(ServerWebExchange exchange, Principal principal, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.keys.issue(form.id("tenantId"), form.text("name"), settings(form),
					principal.getName()))
			.map((issued) -> {
				model.addAttribute("issued", issued);
				String baseUrl = baseUrl(exchange);
				model.addAttribute("claudeSnippet", "export ANTHROPIC_BASE_URL=" + baseUrl
						+ "\nexport ANTHROPIC_AUTH_TOKEN=" + issued.secret() + "\nclaude");
				model.addAttribute("curlSnippet", "curl " + baseUrl + "/v1/messages \\\n  -H 'x-api-key: "
						+ issued.secret() + "' \\\n  -H 'anthropic-version: 2023-06-01' \\\n"
						+ "  -H 'content-type: application/json' \\\n  -d '{\"model\": \"claude-sonnet-4-5\", "
						+ "\"max_tokens\": 256, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}'");
				return "admin/key-issued";
			});
	}

	@GetMapping("/admin/keys/{id}")
	Mono<String> show(@PathVariable long id, Model model) {
		return Mono.zip(this.keys.get(id), this.groups.list()).map((t) -> {
			model.addAttribute("key", t.getT1());
			model.addAttribute("groups", t.getT2());
			return "admin/key";
		});
	}

	@PostMapping("/admin/keys/{id}")
	Mono<String> update(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.keys.update(id, settings(form), principal.getName()))
			.thenReturn("redirect:/admin/keys/" + id);
	}

	@PostMapping("/admin/keys/{id}/revoke")
	Mono<String> revoke(@PathVariable long id, Principal principal) {
		return this.keys.revoke(id, principal.getName()).thenReturn("redirect:/admin/keys/" + id);
	}

	private static ApiKeyInfo.Settings settings(Form form) {
		return new ApiKeyInfo.Settings(form.id("groupId"), form.instant("expiresAt"), form.list("allowedModels"),
				form.list("ipAllow"), form.integer("concurrencyLimit"), form.integer("rpmLimit"),
				form.integer("tpmLimit"), form.decimal("spendQuota"));
	}

	static String baseUrl(ServerWebExchange exchange) {
		URI uri = exchange.getRequest().getURI();
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

}
