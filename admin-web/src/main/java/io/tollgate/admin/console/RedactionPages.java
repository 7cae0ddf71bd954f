package io.tollgate.admin.console;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.directory.RedactionPolicy;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * PII redaction policies of groups and keys.
 */
@Controller
@ConsoleEnabled
class RedactionPages {

	/** The entity names an operator can choose, as the gateway knows them. */
	static final List<String> ENTITIES = List.of("email", "phone", "ip_address", "uuid", "secret", "credit_card",
			"iban", "us_ssn", "mac_address");

	private final RedactionAdmin redaction;

	private final GroupAdmin groups;

	private final KeyAdmin keys;

	RedactionPages(RedactionAdmin redaction, GroupAdmin groups, KeyAdmin keys) {
		this.redaction = redaction;
		this.groups = groups;
		this.keys = keys;
	}

	@GetMapping("/admin/redaction")
	Mono<String> policies(Model model) {
		return Mono.zip(this.redaction.list(), this.groups.list(), this.keys.list(null)).map((t) -> {
			model.addAttribute("policies", t.getT1());
			model.addAttribute("groups", t.getT2());
			model.addAttribute("keys", t.getT3());
			model.addAttribute("entities", ENTITIES);
			return "admin/redaction";
		});
	}

	@PostMapping("/admin/redaction")
	Mono<String> set(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			String target = form.text("target");
			RedactionPolicy policy = new RedactionPolicy(RedactionPolicy.Mode.of(form.text("mode")),
					form.all("entities"), lines(form.raw("custom")));
			if (target != null && target.startsWith("key:")) {
				return this.redaction.setForKey(Form.number(target.substring(4)), policy, principal.getName());
			}
			return this.redaction.setForGroup(Form.number((target != null) ? target.replace("group:", "") : null),
					policy, principal.getName());
		}).thenReturn("redirect:/admin/redaction");
	}

	@PostMapping("/admin/redaction/{scope}/{id}/clear")
	Mono<String> clear(@PathVariable String scope, @PathVariable long id, Principal principal) {
		return this.redaction.clear(scope, id, principal.getName()).thenReturn("redirect:/admin/redaction");
	}

	private static List<String> lines(String text) {
		if (text == null) {
			return List.of();
		}
		return Arrays.stream(text.split("\\R")).map(String::trim).filter((line) -> !line.isEmpty()).toList();
	}

}
