package io.tollgate.admin.portal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.DateRange;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.TenantAccount;
import io.tollgate.billing.tenantview.TenantKeys;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The tenant's usage: filtered by time, key, model and outcome, paged, with totals; each
 * request opens to its cost breakdown; CSV export of the same range.
 */
@Controller
@ConsoleEnabled
class PortalUsagePages {

	private static final int PAGE_SIZE = 50;

	private final TenantAccount account;

	private final TenantKeys keys;

	private final PortalExports exports;

	PortalUsagePages(TenantAccount account, TenantKeys keys, PortalExports exports) {
		this.account = account;
		this.keys = keys;
		this.exports = exports;
	}

	@GetMapping("/portal/usage")
	Mono<String> usage(@AuthenticationPrincipal TenantPrincipal tenant, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) Long keyId,
			@RequestParam(required = false) String model, @RequestParam(required = false) String outcome,
			@RequestParam(defaultValue = "0") int page, Model view) {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		String fromDay = (from != null && !from.isBlank()) ? from : today.minusDays(6).toString();
		String toDay = (to != null && !to.isBlank()) ? to : today.toString();
		UsageFilter filter = new UsageFilter(DateRange.from(fromDay, null), DateRange.to(toDay, null), null, keyId,
				null, model, outcome);
		int pageNumber = Math.max(page, 0);
		return Mono
			.zip(this.account.totals(tenant, filter), this.account.usage(tenant, filter, pageNumber, PAGE_SIZE),
					this.keys.list(tenant))
			.map((t) -> {
				view.addAttribute("totals", t.getT1());
				view.addAttribute("rows", t.getT2());
				view.addAttribute("keys", t.getT3());
				view.addAttribute("from", fromDay);
				view.addAttribute("to", toDay);
				view.addAttribute("keyId", keyId);
				view.addAttribute("model", model);
				view.addAttribute("outcome", outcome);
				view.addAttribute("page", pageNumber);
				view.addAttribute("pages", Math.max(1, (t.getT1().requests() + PAGE_SIZE - 1) / PAGE_SIZE));
				return "portal/usage";
			});
	}

	@GetMapping("/portal/usage/{requestId}")
	Mono<String> request(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable String requestId, Model model) {
		return this.account.breakdown(tenant, requestId).map((breakdown) -> {
			model.addAttribute("b", breakdown);
			return "portal/request";
		});
	}

	@GetMapping("/portal/usage.csv")
	Mono<Void> export(@AuthenticationPrincipal TenantPrincipal tenant, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) Long keyId,
			@RequestParam(required = false) String model, @RequestParam(required = false) String outcome,
			ServerHttpResponse response) {
		Instant end = DateRange.to(to, Instant.now());
		UsageFilter filter = new UsageFilter(DateRange.from(from, end.minus(Duration.ofDays(7))), end, null, keyId,
				null, model, outcome);
		return this.exports.usage(tenant, filter, response);
	}

}
