package io.tollgate.admin.api;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.CsvExports;
import io.tollgate.admin.export.DateRange;
import io.tollgate.billing.admin.AdminToken;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.AuditEvent;
import io.tollgate.billing.admin.AuditLog;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.admin.UsageSummary;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for usage, finance exports, the audit log, console users and admin tokens.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class UsageApi {

	private final UsageQueries usage;

	private final CsvExports exports;

	private final AuditLog audit;

	private final AdminTokens tokens;

	private final ConsoleUsers users;

	private final PasswordEncoder passwords;

	UsageApi(UsageQueries usage, CsvExports exports, AuditLog audit, AdminTokens tokens, ConsoleUsers users,
			PasswordEncoder passwords) {
		this.usage = usage;
		this.exports = exports;
		this.audit = audit;
		this.tokens = tokens;
		this.users = users;
		this.passwords = passwords;
	}

	@GetMapping("/usage")
	Mono<ApiRequests.UsagePage> usage(@RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) Long tenantId,
			@RequestParam(required = false) Long keyId, @RequestParam(required = false) Long groupId,
			@RequestParam(required = false) String model, @RequestParam(required = false) String outcome,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		UsageFilter filter = filter(from, to, tenantId, keyId, groupId, model, outcome);
		int pageSize = Math.min(Math.max(size, 1), 1000);
		int pageNumber = Math.max(page, 0);
		return Mono.zip(this.usage.totals(filter), this.usage.page(filter, pageNumber, pageSize))
			.map((t) -> new ApiRequests.UsagePage(pageNumber, pageSize, t.getT1(), t.getT2()));
	}

	@GetMapping("/usage/daily")
	Mono<List<UsageSummary.Daily>> daily(@RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) Long tenantId) {
		return this.usage.daily(filter(from, to, tenantId, null, null, null, null));
	}

	@GetMapping("/exports/usage.csv")
	Mono<Void> exportUsage(@RequestParam String from, @RequestParam String to,
			@RequestParam(required = false) Long tenantId, ServerHttpResponse response, Principal principal) {
		UsageFilter filter = filter(from, to, tenantId, null, null, null, null);
		return this.audit.record(principal.getName(), "export.usage", "usage", null, exportDetail(filter))
			.then(this.exports.usage(filter, response));
	}

	@GetMapping("/exports/aggregates.csv")
	Mono<Void> exportAggregates(@RequestParam String from, @RequestParam String to,
			@RequestParam(required = false) Long tenantId, ServerHttpResponse response, Principal principal) {
		UsageFilter filter = filter(from, to, tenantId, null, null, null, null);
		return this.audit.record(principal.getName(), "export.aggregates", "usage", null, exportDetail(filter))
			.then(this.exports.aggregates(filter, response));
	}

	@GetMapping("/audit")
	Mono<List<AuditEvent>> audit(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "100") int size) {
		return this.audit.page(Math.max(page, 0), Math.min(Math.max(size, 1), 1000));
	}

	@GetMapping("/tokens")
	Mono<List<AdminToken>> tokens() {
		return this.tokens.list();
	}

	@PostMapping("/tokens")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<AdminToken.Issued> issueToken(@RequestBody ApiRequests.Principal body, Principal principal) {
		return this.tokens.issue(body.name(), body.role(), principal.getName());
	}

	@PostMapping("/tokens/{id}/revoke")
	Mono<AdminToken> revokeToken(@PathVariable long id, Principal principal) {
		return this.tokens.revoke(id, principal.getName());
	}

	@GetMapping("/users")
	Mono<List<ApiRequests.User>> users() {
		return this.users.list().map((all) -> all.stream().map(ApiRequests.User::of).toList());
	}

	@PostMapping("/users")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<ApiRequests.User> createUser(@RequestBody ApiRequests.Principal body, Principal principal) {
		if (body.password() == null || body.password().length() < 12) {
			throw io.tollgate.billing.admin.AdminException.invalid("Passwords need at least 12 characters");
		}
		return this.users.create(body.name(), this.passwords.encode(body.password()), body.role(), principal.getName())
			.map(ApiRequests.User::of);
	}

	static UsageFilter filter(String from, String to, Long tenantId, Long keyId, Long groupId, String model,
			String outcome) {
		Instant end = DateRange.to(to, Instant.now());
		Instant start = DateRange.from(from, end.minus(Duration.ofDays(7)));
		return new UsageFilter(start, end, tenantId, keyId, groupId, model, outcome);
	}

	private static java.util.Map<String, Object> exportDetail(UsageFilter filter) {
		java.util.Map<String, Object> detail = new java.util.HashMap<>();
		detail.put("from", filter.from().toString());
		detail.put("to", filter.to().toString());
		detail.put("tenantId", filter.tenantId());
		return detail;
	}

}
