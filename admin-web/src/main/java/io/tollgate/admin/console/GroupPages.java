package io.tollgate.admin.console;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.AccountAdmin;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.Group;
import io.tollgate.billing.admin.GroupAdmin;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Groups: platform, billing mode, multiplier, the model mapping editor and the member
 * accounts with their priority and weight.
 */
@Controller
@ConsoleEnabled
class GroupPages {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final GroupAdmin groups;

	private final AccountAdmin accounts;

	GroupPages(GroupAdmin groups, AccountAdmin accounts) {
		this.groups = groups;
		this.accounts = accounts;
	}

	@GetMapping("/admin/groups")
	Mono<String> list(Model model) {
		return this.groups.list().map((all) -> {
			model.addAttribute("groups", all);
			return "admin/groups";
		});
	}

	@PostMapping("/admin/groups")
	Mono<String> create(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.groups.create(form.text("name"), settings(form), principal.getName()))
			.map((group) -> "redirect:/admin/groups/" + group.id());
	}

	@GetMapping("/admin/groups/{id}")
	Mono<String> show(@PathVariable long id, Model model) {
		return Mono.zip(this.groups.get(id), this.accounts.list()).map((t) -> {
			model.addAttribute("group", t.getT1());
			model.addAttribute("mappingText", Form.mappingText(t.getT1().settings().modelMapping()));
			Map<String, Object> defaults = t.getT1().settings().intentDefaults();
			model.addAttribute("intentDefaultsText", (defaults != null) ? JSON.writeValueAsString(defaults) : "");
			model.addAttribute("accounts", t.getT2());
			return "admin/group";
		});
	}

	@PostMapping("/admin/groups/{id}")
	Mono<String> update(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.groups.update(id, form.text("name"), settings(form), principal.getName()))
			.thenReturn("redirect:/admin/groups/" + id);
	}

	@PostMapping("/admin/groups/{id}/members")
	Mono<String> putMember(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.groups.putMember(id, form.id("accountId"), form.integer("priority"),
					form.integer("weight"), principal.getName()))
			.thenReturn("redirect:/admin/groups/" + id);
	}

	@PostMapping("/admin/groups/{id}/members/{accountId}/remove")
	Mono<String> removeMember(@PathVariable long id, @PathVariable long accountId, Principal principal) {
		return this.groups.removeMember(id, accountId, principal.getName()).thenReturn("redirect:/admin/groups/" + id);
	}

	private static Group.Settings settings(Form form) {
		return new Group.Settings(form.text("platform"), form.text("billingMode"), form.decimal("multiplier"),
				form.mapping("modelMapping"), form.integer("stickyTtlSeconds"), form.checked("balanceFallback"),
				form.text("admissionPolicy"), form.text("routerModel"), intentDefaults(form.text("intentDefaults")));
	}

	/** The intent defaults field: a JSON object, or empty for none. */
	private static Map<String, Object> intentDefaults(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {
			});
		}
		catch (JacksonException ex) {
			throw AdminException.invalid("Intent defaults must be a JSON object, e.g. {\"mediaOptimization\": true}");
		}
	}

}
