package io.tollgate.admin.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.health.AccountHealthView;
import io.tollgate.billing.admin.Account;
import io.tollgate.billing.admin.AccountAdmin;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.admin.UsageSummary;
import io.tollgate.billing.health.AccountHealth;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard: the last days' requests, tokens, cost and error rate as charts, the top
 * tenants and models, and the accounts needing attention. Also the login page.
 */
@Controller
@ConsoleEnabled
class DashboardPages {

	private final UsageQueries usage;

	private final AccountAdmin accounts;

	private final AccountHealthView health;

	private final CacheHitCharts cacheHits;

	DashboardPages(UsageQueries usage, AccountAdmin accounts, AccountHealthView health, CacheHitCharts cacheHits) {
		this.usage = usage;
		this.accounts = accounts;
		this.health = health;
		this.cacheHits = cacheHits;
	}

	@GetMapping("/admin/login")
	String login(org.springframework.web.server.ServerWebExchange exchange, Model model) {
		var query = exchange.getRequest().getQueryParams();
		model.addAttribute("error", query.containsKey("error"));
		model.addAttribute("locked", query.containsKey("locked"));
		model.addAttribute("expired", query.containsKey("expired"));
		model.addAttribute("loggedOut", query.containsKey("logout"));
		return "admin/login";
	}

	@GetMapping({ "/admin", "/admin/" })
	Mono<String> dashboard(@RequestParam(defaultValue = "14") int days, Model model) {
		int span = Math.min(Math.max(days, 1), 90);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate first = today.minusDays(span - 1);
		Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		UsageFilter filter = UsageFilter.between(from, to);
		model.addAttribute("cacheHits", this.cacheHits.overall(span));
		return Mono
			.zip(this.usage.daily(filter), this.usage.totals(filter), this.usage.topTenants(filter, 5),
					this.usage.topModels(filter, 5), this.accounts.list(), this.health.byAccount())
			.map((t) -> {
				charts(model, first, span, t.getT1());
				model.addAttribute("days", span);
				model.addAttribute("totals", t.getT2());
				model.addAttribute("topTenants", t.getT3());
				model.addAttribute("topModels", t.getT4());
				model.addAttribute("healthAvailable", t.getT6().isPresent());
				model.addAttribute("attention", attention(t.getT5(), t.getT6()));
				return "admin/dashboard";
			});
	}

	private static void charts(Model model, LocalDate first, int span, List<UsageSummary.Daily> daily) {
		Map<LocalDate, UsageSummary> byDay = new HashMap<>();
		daily.forEach((d) -> byDay.put(d.day(), d.summary()));
		List<String> labels = new ArrayList<>();
		List<Double> requests = new ArrayList<>();
		List<Double> tokens = new ArrayList<>();
		List<Double> cost = new ArrayList<>();
		List<Double> errors = new ArrayList<>();
		for (int i = 0; i < span; i++) {
			LocalDate day = first.plusDays(i);
			UsageSummary sums = byDay.get(day);
			labels.add(day.toString());
			requests.add((sums != null) ? sums.requests() : 0.0);
			tokens.add((sums != null) ? sums.tokens().total() : 0.0);
			cost.add((sums != null) ? sums.chargedCost().doubleValue() : 0.0);
			errors.add((sums != null) ? sums.errorRate() * 100 : 0.0);
		}
		model.addAttribute("requestsChart", Charts.bars("Requests per day", labels, requests, DashboardPages::count));
		model.addAttribute("tokensChart", Charts.bars("Tokens per day", labels, tokens, DashboardPages::count));
		model.addAttribute("costChart",
				Charts.bars("Charged cost per day", labels, cost, (v) -> String.format("%.2f", v)));
		model.addAttribute("errorsChart",
				Charts.bars("Error rate per day", labels, errors, (v) -> String.format("%.1f%%", v)));
	}

	private static List<Attention> attention(List<Account> accounts, Optional<Map<Long, AccountHealth>> health) {
		List<Attention> attention = new ArrayList<>();
		for (Account account : accounts) {
			AccountHealth state = health.map((h) -> h.get(account.id())).orElse(null);
			if (!"active".equals(account.settings().status())) {
				attention.add(new Attention(account, account.settings().status(), null));
			}
			else if (state != null && !"healthy".equals(state.state())) {
				attention.add(new Attention(account, state.state(), state.lastError()));
			}
		}
		return attention;
	}

	static String count(double value) {
		if (value >= 1_000_000) {
			return String.format("%.1fM", value / 1_000_000);
		}
		if (value >= 10_000) {
			return String.format("%.0fk", value / 1_000);
		}
		return String.format("%.0f", value);
	}

	/**
	 * An account needing attention.
	 *
	 * @param account the account
	 * @param state why
	 * @param lastError its last error, or {@code null}
	 */
	record Attention(Account account, String state, String lastError) {
	}

}
