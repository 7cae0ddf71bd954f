package io.tollgate.admin.console;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.CsvExports;
import io.tollgate.admin.export.DateRange;
import io.tollgate.billing.admin.AuditLog;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The usage explorer (filters, pages, totals), finance exports, and the audit log.
 */
@Controller
@ConsoleEnabled
class UsagePages {

	private static final int PAGE_SIZE = 50;

	private final UsageQueries usage;

	private final TenantAdmin tenants;

	private final GroupAdmin groups;

	private final CsvExports exports;

	private final AuditLog audit;

	UsagePages(UsageQueries usage, TenantAdmin tenants, GroupAdmin groups, CsvExports exports, AuditLog audit) {
		this.usage = usage;
		this.tenants = tenants;
		this.groups = groups;
		this.exports = exports;
		this.audit = audit;
	}

	@GetMapping("/admin/usage")
	Mono<String> usage(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) Long tenantId, @RequestParam(required = false) Long keyId,
			@RequestParam(required = false) Long groupId, @RequestParam(required = false) String model,
			@RequestParam(required = false) String outcome, @RequestParam(defaultValue = "0") int page, Model view) {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		String fromDay = (from != null && !from.isBlank()) ? from : today.minusDays(6).toString();
		String toDay = (to != null && !to.isBlank()) ? to : today.toString();
		UsageFilter filter = new UsageFilter(DateRange.from(fromDay, null), DateRange.to(toDay, null), tenantId, keyId,
				groupId, model, outcome);
		int pageNumber = Math.max(page, 0);
		return Mono
			.zip(this.usage.totals(filter), this.usage.page(filter, pageNumber, PAGE_SIZE), this.tenants.list(),
					this.groups.list())
			.map((t) -> {
				view.addAttribute("totals", t.getT1());
				view.addAttribute("rows", t.getT2());
				view.addAttribute("tenants", t.getT3());
				view.addAttribute("groups", t.getT4());
				view.addAttribute("from", fromDay);
				view.addAttribute("to", toDay);
				view.addAttribute("tenantId", tenantId);
				view.addAttribute("keyId", keyId);
				view.addAttribute("groupId", groupId);
				view.addAttribute("model", model);
				view.addAttribute("outcome", outcome);
				view.addAttribute("page", pageNumber);
				view.addAttribute("pages", Math.max(1, (t.getT1().requests() + PAGE_SIZE - 1) / PAGE_SIZE));
				return "admin/usage";
			});
	}

	@GetMapping("/admin/exports/usage.csv")
	Mono<Void> exportUsage(@RequestParam String from, @RequestParam String to,
			@RequestParam(required = false) Long tenantId, ServerHttpResponse response, Principal principal) {
		UsageFilter filter = range(from, to, tenantId);
		return this.audit.record(principal.getName(), "export.usage", "usage", null, detail(filter))
			.then(this.exports.usage(filter, response));
	}

	@GetMapping("/admin/exports/aggregates.csv")
	Mono<Void> exportAggregates(@RequestParam String from, @RequestParam String to,
			@RequestParam(required = false) Long tenantId, ServerHttpResponse response, Principal principal) {
		UsageFilter filter = range(from, to, tenantId);
		return this.audit.record(principal.getName(), "export.aggregates", "usage", null, detail(filter))
			.then(this.exports.aggregates(filter, response));
	}

	@GetMapping("/admin/audit")
	Mono<String> audit(@RequestParam(defaultValue = "0") int page, Model model) {
		int pageNumber = Math.max(page, 0);
		return this.audit.page(pageNumber, 100).map((events) -> {
			model.addAttribute("events", events);
			model.addAttribute("page", pageNumber);
			model.addAttribute("hasNext", events.size() == 100);
			return "admin/audit";
		});
	}

	private static UsageFilter range(String from, String to, Long tenantId) {
		Instant end = DateRange.to(to, Instant.now());
		return new UsageFilter(DateRange.from(from, end.minus(Duration.ofDays(7))), end, tenantId, null, null, null,
				null);
	}

	private static Map<String, Object> detail(UsageFilter filter) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("from", filter.from().toString());
		detail.put("to", filter.to().toString());
		detail.put("tenantId", filter.tenantId());
		return detail;
	}

}
