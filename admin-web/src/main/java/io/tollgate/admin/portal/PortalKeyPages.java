package io.tollgate.admin.portal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Form;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.KeyRequest;
import io.tollgate.billing.tenantview.TenantKeys;
import io.tollgate.billing.tenantview.TenantRedaction;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The tenant's own keys: create (the secret shown once, with Claude Code, curl and SDK
 * snippets for this gateway), rename, limit within the tenant's ceiling, set its PII
 * redaction policy within its group's, revoke.
 */
@Controller
@ConsoleEnabled
class PortalKeyPages {

	/** The detectors a key's policy can enforce, as the form offers them. */
	static final List<String> ENTITIES = List.of("email", "phone", "ip_address", "uuid", "secret", "credit_card",
			"iban", "us_ssn", "mac_address");

	private final TenantKeys keys;

	private final TenantRedaction redaction;

	PortalKeyPages(TenantKeys keys, TenantRedaction redaction) {
		this.keys = keys;
		this.redaction = redaction;
	}

	@GetMapping("/portal/keys")
	Mono<String> list(@AuthenticationPrincipal TenantPrincipal tenant, Model model) {
		return Mono.zip(this.keys.list(tenant), this.keys.ceiling(tenant)).map((t) -> {
			model.addAttribute("keys", t.getT1());
			model.addAttribute("ceiling", t.getT2());
			return "portal/keys";
		});
	}

	@PostMapping("/portal/keys")
	Mono<String> create(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.keys.issue(tenant, form.text("name"), request(form)))
			.map((issued) -> {
				String baseUrl = baseUrl(exchange);
				model.addAttribute("issued", issued);
				model.addAttribute("claudeSnippet", "export ANTHROPIC_BASE_URL=" + baseUrl
						+ "\nexport ANTHROPIC_AUTH_TOKEN=" + issued.secret() + "\nclaude");
				model.addAttribute("curlSnippet", "curl " + baseUrl + "/v1/messages \\\n  -H 'x-api-key: "
						+ issued.secret() + "' \\\n  -H 'anthropic-version: 2023-06-01' \\\n"
						+ "  -H 'content-type: application/json' \\\n  -d '{\"model\": \"claude-sonnet-4-5\", "
						+ "\"max_tokens\": 256, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}'");
				model.addAttribute("sdkSnippet", "from anthropic import Anthropic\n\nclient = Anthropic(base_url=\""
						+ baseUrl + "\", api_key=\"" + issued.secret() + "\")");
				model.addAttribute("usageSnippet",
						"curl " + baseUrl + "/v1/usage -H 'x-api-key: " + issued.secret() + "'");
				return "portal/key-issued";
			});
	}

	@GetMapping("/portal/keys/{id}")
	Mono<String> show(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id, Model model) {
		return Mono.zip(this.keys.get(tenant, id), this.keys.ceiling(tenant), this.redaction.get(tenant, id))
			.map((t) -> {
				model.addAttribute("key", t.getT1());
				model.addAttribute("ceiling", t.getT2());
				model.addAttribute("redaction", t.getT3());
				model.addAttribute("entities", ENTITIES);
				model.addAttribute("redactionCustom",
						(t.getT3().key() != null) ? String.join("\n", t.getT3().key().custom()) : "");
				return "portal/key";
			});
	}

	@PostMapping("/portal/keys/{id}")
	Mono<String> update(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.keys.update(tenant, id, request(form)))
			.thenReturn("redirect:/portal/keys/" + id);
	}

	@PostMapping("/portal/keys/{id}/rename")
	Mono<String> rename(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.keys.rename(tenant, id, form.text("name")))
			.thenReturn("redirect:/portal/keys/" + id);
	}

	/** Sets the key's own PII redaction policy, within what its group allows. */
	@PostMapping("/portal/keys/{id}/redaction")
	Mono<String> redaction(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			ServerWebExchange exchange) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			RedactionPolicy policy = new RedactionPolicy(RedactionPolicy.Mode.of(form.text("mode")),
					form.all("entities"), lines(form.raw("custom")));
			return this.redaction.set(tenant, id, policy);
		}).thenReturn("redirect:/portal/keys/" + id);
	}

	/** Removes the key's own PII redaction policy: its group's applies. */
	@PostMapping("/portal/keys/{id}/redaction/clear")
	Mono<String> clearRedaction(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.redaction.clear(tenant, id).thenReturn("redirect:/portal/keys/" + id);
	}

	private static List<String> lines(String text) {
		if (text == null) {
			return List.of();
		}
		return Arrays.stream(text.split("\\R")).map(String::trim).filter((line) -> !line.isEmpty()).toList();
	}

	@PostMapping("/portal/keys/{id}/revoke")
	Mono<String> revoke(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.keys.revoke(tenant, id).thenReturn("redirect:/portal/keys/" + id);
	}

	static KeyRequest request(Form form) {
		return new KeyRequest(form.id("groupId"), form.instant("expiresAt"), form.list("allowedModels"),
				form.integer("concurrencyLimit"), form.integer("rpmLimit"), form.integer("tpmLimit"),
				form.decimal("spendQuota"));
	}

	static String baseUrl(ServerWebExchange exchange) {
		URI uri = exchange.getRequest().getURI();
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

}
