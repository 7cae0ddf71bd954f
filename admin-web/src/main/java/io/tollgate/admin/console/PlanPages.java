package io.tollgate.admin.console;

import java.security.Principal;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.PlanAdmin;
import io.tollgate.billing.admin.PriceAdmin;
import io.tollgate.billing.admin.PriceEntry;
import io.tollgate.billing.admin.TenantAdmin;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Plans and subscriptions, and the price book with effective dates.
 */
@Controller
@ConsoleEnabled
class PlanPages {

	private final PlanAdmin plans;

	private final PriceAdmin prices;

	private final GroupAdmin groups;

	private final TenantAdmin tenants;

	PlanPages(PlanAdmin plans, PriceAdmin prices, GroupAdmin groups, TenantAdmin tenants) {
		this.plans = plans;
		this.prices = prices;
		this.groups = groups;
		this.tenants = tenants;
	}

	@GetMapping("/admin/plans")
	Mono<String> plans(Model model) {
		return Mono.zip(this.plans.plans(), this.plans.subscriptions(), this.groups.list(), this.tenants.list())
			.map((t) -> {
				model.addAttribute("plans", t.getT1());
				model.addAttribute("subscriptions", t.getT2());
				model.addAttribute("groups", t.getT3());
				model.addAttribute("tenants", t.getT4());
				return "admin/plans";
			});
	}

	@PostMapping("/admin/plans")
	Mono<String> createPlan(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.plans.createPlan(form.text("name"), form.id("groupId"), form.decimal("dailyLimit"),
					form.decimal("weeklyLimit"), form.decimal("monthlyLimit"), principal.getName()))
			.thenReturn("redirect:/admin/plans");
	}

	@PostMapping("/admin/subscriptions")
	Mono<String> subscribe(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.plans.subscribe(form.id("tenantId"), form.id("planId"), form.instant("startsAt"),
					form.instant("expiresAt"), principal.getName()))
			.thenReturn("redirect:/admin/plans");
	}

	@PostMapping("/admin/subscriptions/{id}/cancel")
	Mono<String> cancel(@PathVariable long id, Principal principal) {
		return this.plans.cancel(id, principal.getName()).thenReturn("redirect:/admin/plans");
	}

	@GetMapping("/admin/prices")
	Mono<String> prices(Model model) {
		return this.prices.list().map((all) -> {
			model.addAttribute("prices", all);
			return "admin/prices";
		});
	}

	@PostMapping("/admin/prices")
	Mono<String> addPrice(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.prices.add(new PriceEntry(0, form.text("modelPattern"), form.decimal("input"),
					form.decimal("output"), form.decimal("cacheWrite5m"), form.decimal("cacheWrite1h"),
					form.decimal("cacheRead"), form.instant("effectiveFrom")), principal.getName()))
			.thenReturn("redirect:/admin/prices");
	}

	@PostMapping("/admin/prices/{id}/delete")
	Mono<String> deletePrice(@PathVariable long id, Principal principal) {
		return this.prices.delete(id, principal.getName()).thenReturn("redirect:/admin/prices");
	}

}
