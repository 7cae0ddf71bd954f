package io.tollgate.admin.portal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.console.Charts;
import io.tollgate.admin.console.Form;
import io.tollgate.admin.export.DateRange;
import io.tollgate.billing.admin.UsageSummary;
import io.tollgate.billing.redemption.RedemptionCodes;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.TenantAccount;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;

/**
 * The portal's overview (balance, reserved spend, subscription windows, charts, top
 * models and keys), ledger with its CSV export, code redemption and prices.
 */
@Controller
@ConsoleEnabled
class PortalPages {

	private static final int LEDGER_PAGE = 50;

	private final TenantAccount account;

	private final RedemptionCodes codes;

	private final PortalExports exports;

	private final PortalMetrics metrics;

	PortalPages(TenantAccount account, RedemptionCodes codes, PortalExports exports, PortalMetrics metrics) {
		this.metrics = metrics;
		this.account = account;
		this.codes = codes;
		this.exports = exports;
	}

	@GetMapping({ "/portal", "/portal/" })
	Mono<String> overview(@AuthenticationPrincipal TenantPrincipal tenant, @RequestParam(defaultValue = "14") int days,
			Model model) {
		int span = Math.min(Math.max(days, 1), 90);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate first = today.minusDays(span - 1);
		Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		return this.account.overview(tenant, from, to).map((overview) -> {
			model.addAttribute("overview", overview);
			model.addAttribute("days", span);
			model.addAttribute("cacheHitRate", cacheHitRate(overview.totals()));
			charts(model, first, span, overview.daily());
			return "portal/overview";
		});
	}

	@GetMapping("/portal/ledger")
	Mono<String> ledger(@AuthenticationPrincipal TenantPrincipal tenant, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) String redeemed, Model model) {
		int pageNumber = Math.max(page, 0);
		return Mono.zip(this.account.ledger(tenant, pageNumber, LEDGER_PAGE), this.account.balance(tenant)).map((t) -> {
			model.addAttribute("entries", t.getT1());
			model.addAttribute("balance", t.getT2());
			model.addAttribute("page", pageNumber);
			model.addAttribute("hasNext", t.getT1().size() == LEDGER_PAGE);
			model.addAttribute("redeemed", redeemed);
			return "portal/ledger";
		});
	}

	@GetMapping("/portal/ledger.csv")
	Mono<Void> exportLedger(@AuthenticationPrincipal TenantPrincipal tenant,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			ServerHttpResponse response) {
		Instant end = DateRange.to(to, Instant.now().plusSeconds(1));
		return this.exports.ledger(tenant, DateRange.from(from, Instant.EPOCH), end, response);
	}

	@PostMapping("/portal/redeem")
	Mono<String> redeem(@AuthenticationPrincipal TenantPrincipal tenant, ServerWebExchange exchange) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.codes.redeem(tenant, form.text("code")))
			.doOnSuccess((redemption) -> this.metrics.redemption(true))
			.doOnError((ex) -> this.metrics.redemption(false))
			.map((redemption) -> "redirect:/portal/ledger?redeemed=" + redemption.entry().amount().toPlainString());
	}

	@GetMapping("/portal/models")
	Mono<String> models(@AuthenticationPrincipal TenantPrincipal tenant, Model model) {
		return this.account.prices(tenant).map((prices) -> {
			model.addAttribute("prices", prices);
			return "portal/models";
		});
	}

	static double cacheHitRate(UsageSummary totals) {
		long input = totals.tokens().input() + totals.tokens().cacheCreation() + totals.tokens().cacheRead();
		return (input > 0) ? 100.0 * totals.tokens().cacheRead() / input : 0;
	}

	private static void charts(Model model, LocalDate first, int span, List<UsageSummary.Daily> daily) {
		Map<LocalDate, UsageSummary> byDay = new HashMap<>();
		daily.forEach((d) -> byDay.put(d.day(), d.summary()));
		List<String> labels = new ArrayList<>();
		List<Double> tokens = new ArrayList<>();
		List<Double> cost = new ArrayList<>();
		for (int i = 0; i < span; i++) {
			LocalDate day = first.plusDays(i);
			UsageSummary sums = byDay.get(day);
			labels.add(day.toString());
			tokens.add((sums != null) ? sums.tokens().total() : 0.0);
			cost.add((sums != null) ? sums.chargedCost().doubleValue() : 0.0);
		}
		model.addAttribute("spendChart",
				Charts.bars("Spend per day", labels, cost, (v) -> String.format(java.util.Locale.ROOT, "%.4f", v)));
		model.addAttribute("tokensChart",
				Charts.bars("Tokens per day", labels, tokens, (v) -> String.format(java.util.Locale.ROOT, "%.0f", v)));
	}

}
