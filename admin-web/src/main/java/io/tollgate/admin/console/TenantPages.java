package io.tollgate.admin.console;

import java.security.Principal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.ledger.Posting;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tenants: list, create, suspend, and the balance with its ledger.
 */
@Controller
@ConsoleEnabled
class TenantPages {

	private final TenantAdmin tenants;

	private final Ledger ledger;

	private final KeyAdmin keys;

	private final GroupAdmin groups;

	private final CacheHitCharts cacheHits;

	TenantPages(TenantAdmin tenants, Ledger ledger, KeyAdmin keys, GroupAdmin groups, CacheHitCharts cacheHits) {
		this.cacheHits = cacheHits;
		this.tenants = tenants;
		this.ledger = ledger;
		this.keys = keys;
		this.groups = groups;
	}

	@GetMapping("/admin/tenants")
	Mono<String> list(Model model) {
		return this.tenants.list().map((all) -> {
			model.addAttribute("tenants", all);
			return "admin/tenants";
		});
	}

	@PostMapping("/admin/tenants")
	Mono<String> create(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.tenants.create(
					new Tenant.Form(form.text("name"), form.integer("defaultConcurrency"), form.integer("defaultRpm"),
							form.integer("defaultTpm"), form.integer("maxConcurrency"), form.decimal("overdraftLimit")),
					principal.getName())
				.map((tenant) -> "redirect:/admin/tenants/" + tenant.id()));
	}

	@GetMapping("/admin/tenants/{id}")
	Mono<String> show(@PathVariable long id, Model model) {
		model.addAttribute("cacheHits", this.cacheHits.tenant(id));
		return Mono.zip(this.tenants.get(id), this.ledger.entries(id, 50), this.keys.list(id), this.groups.list())
			.map((t) -> {
				model.addAttribute("tenant", t.getT1());
				model.addAttribute("entries", t.getT2());
				model.addAttribute("keys", t.getT3());
				model.addAttribute("groups", t.getT4());
				return "admin/tenant";
			});
	}

	@PostMapping("/admin/tenants/{id}")
	Mono<String> update(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.tenants
				.update(id,
						new Tenant.Form(form.text("name"), form.integer("defaultConcurrency"),
								form.integer("defaultRpm"), form.integer("defaultTpm"), form.integer("maxConcurrency"),
								form.decimal("overdraftLimit")),
						principal.getName())
				.thenReturn("redirect:/admin/tenants/" + id));
	}

	@PostMapping("/admin/tenants/{id}/status")
	Mono<String> status(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.tenants.setStatus(id, form.text("status"), principal.getName()))
			.thenReturn("redirect:/admin/tenants/" + id);
	}

	@PostMapping("/admin/tenants/{id}/ledger")
	Mono<String> post(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.ledger.post(id, Posting.parse(String.valueOf(form.text("kind"))),
					form.decimal("amount"), principal.getName(), form.text("reason")))
			.thenReturn("redirect:/admin/tenants/" + id);
	}

}
