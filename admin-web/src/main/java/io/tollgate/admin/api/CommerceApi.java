package io.tollgate.admin.api;

import java.security.Principal;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.Plan;
import io.tollgate.billing.admin.PlanAdmin;
import io.tollgate.billing.admin.PriceAdmin;
import io.tollgate.billing.admin.PriceEntry;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.ledger.LedgerEntry;
import io.tollgate.billing.ledger.Posting;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for balances, plans, subscriptions and prices.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class CommerceApi {

	private final Ledger ledger;

	private final PlanAdmin plans;

	private final PriceAdmin prices;

	CommerceApi(Ledger ledger, PlanAdmin plans, PriceAdmin prices) {
		this.ledger = ledger;
		this.plans = plans;
		this.prices = prices;
	}

	@GetMapping("/tenants/{id}/ledger")
	Mono<List<LedgerEntry>> ledger(@PathVariable long id, @RequestParam(defaultValue = "100") int limit) {
		return this.ledger.entries(id, Math.min(Math.max(limit, 1), 1000));
	}

	@PostMapping("/tenants/{id}/ledger")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<LedgerEntry> post(@PathVariable long id, @RequestBody ApiRequests.LedgerPosting posting, Principal principal) {
		return this.ledger.post(id, Posting.parse(String.valueOf(posting.kind())), posting.amount(),
				principal.getName(), posting.reason());
	}

	@GetMapping("/plans")
	Mono<List<Plan>> plans() {
		return this.plans.plans();
	}

	@PostMapping("/plans")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Plan> createPlan(@RequestBody ApiRequests.PlanBody body, Principal principal) {
		return this.plans.createPlan(body.name(), body.groupId(), body.dailyLimit(), body.weeklyLimit(),
				body.monthlyLimit(), principal.getName());
	}

	@GetMapping("/subscriptions")
	Mono<List<Plan.Subscription>> subscriptions() {
		return this.plans.subscriptions();
	}

	@PostMapping("/subscriptions")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Plan.Subscription> subscribe(@RequestBody ApiRequests.SubscriptionBody body, Principal principal) {
		return this.plans.subscribe(body.tenantId(), body.planId(), body.startsAt(), body.expiresAt(),
				principal.getName());
	}

	@PostMapping("/subscriptions/{id}/cancel")
	Mono<Plan.Subscription> cancel(@PathVariable long id, Principal principal) {
		return this.plans.cancel(id, principal.getName());
	}

	@GetMapping("/prices")
	Mono<List<PriceEntry>> prices() {
		return this.prices.list();
	}

	@PostMapping("/prices")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<PriceEntry> addPrice(@RequestBody PriceEntry entry, Principal principal) {
		return this.prices.add(entry, principal.getName());
	}

	@DeleteMapping("/prices/{id}")
	Mono<PriceEntry> deletePrice(@PathVariable long id, Principal principal) {
		return this.prices.delete(id, principal.getName());
	}

}
