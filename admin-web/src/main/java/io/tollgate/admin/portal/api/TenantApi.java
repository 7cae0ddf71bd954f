package io.tollgate.admin.portal.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.DateRange;
import io.tollgate.admin.portal.PortalMetrics;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageRow;
import io.tollgate.billing.admin.UsageSummary;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.ledger.LedgerEntry;
import io.tollgate.billing.redemption.Redemption;
import io.tollgate.billing.redemption.RedemptionCodes;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.KeyRequest;
import io.tollgate.billing.tenantview.ModelPrice;
import io.tollgate.billing.tenantview.TenantAccount;
import io.tollgate.billing.tenantview.TenantKeys;
import io.tollgate.billing.tenantview.TenantOverview;
import io.tollgate.billing.tenantview.TenantRedaction;
import io.tollgate.billing.tenantview.UsageBreakdown;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant API: the portal's reads and key management for scripts, authenticated by a
 * tenant API token ({@code Authorization: Bearer tgt-...}). Everything is scoped to the
 * token's tenant; another tenant's ids are not found.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/tenant")
class TenantApi {

	private static final int MAX_PAGE = 500;

	private final TenantAccount account;

	private final TenantKeys keys;

	private final RedemptionCodes codes;

	private final PortalMetrics metrics;

	private final TenantRedaction redaction;

	TenantApi(TenantAccount account, TenantKeys keys, RedemptionCodes codes, PortalMetrics metrics,
			TenantRedaction redaction) {
		this.metrics = metrics;
		this.redaction = redaction;
		this.account = account;
		this.keys = keys;
		this.codes = codes;
	}

	/** Balance, spend reserved by requests in flight, and subscription windows. */
	@GetMapping("/balance")
	Mono<Balance> balance(@AuthenticationPrincipal TenantPrincipal tenant) {
		Instant now = Instant.now();
		return this.account.overview(tenant, now.minus(Duration.ofDays(1)), now)
			.map((overview) -> new Balance(overview.tenantName(), overview.status(), overview.balance(),
					overview.reserved(), overview.windows()));
	}

	/** One page of usage records, newest first, with totals over the whole filter. */
	@GetMapping("/usage")
	Mono<UsagePage> usage(@AuthenticationPrincipal TenantPrincipal tenant, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) Long keyId,
			@RequestParam(required = false) String model, @RequestParam(required = false) String outcome,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
		Instant end = DateRange.to(to, Instant.now());
		UsageFilter filter = new UsageFilter(DateRange.from(from, end.minus(Duration.ofDays(7))), end, null, keyId,
				null, model, outcome);
		int pageSize = Math.min(Math.max(size, 1), MAX_PAGE);
		int pageNumber = Math.max(page, 0);
		return Mono.zip(this.account.totals(tenant, filter), this.account.usage(tenant, filter, pageNumber, pageSize))
			.map((t) -> new UsagePage(t.getT1(), t.getT2(), pageNumber, pageSize));
	}

	/** One request's cost breakdown. */
	@GetMapping("/usage/{requestId}")
	Mono<UsageBreakdown> request(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable String requestId) {
		return this.account.breakdown(tenant, requestId);
	}

	/** The tenant's inference keys. */
	@GetMapping("/keys")
	Mono<List<ApiKeyInfo>> keys(@AuthenticationPrincipal TenantPrincipal tenant) {
		return this.keys.list(tenant);
	}

	/** One of the tenant's inference keys. */
	@GetMapping("/keys/{id}")
	Mono<ApiKeyInfo> key(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.keys.get(tenant, id);
	}

	/** Creates an inference key; the secret is in this answer only. */
	@PostMapping("/keys")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<ApiKeyInfo.Issued> create(@AuthenticationPrincipal TenantPrincipal tenant, @RequestBody KeyBody body) {
		return this.keys.issue(tenant, body.name(), body.request());
	}

	/**
	 * Replaces a key's group, limits, models and expiry; renames it when a name is given.
	 */
	@PutMapping("/keys/{id}")
	Mono<ApiKeyInfo> update(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id,
			@RequestBody KeyBody body) {
		Mono<ApiKeyInfo> updated = this.keys.update(tenant, id, body.request());
		return (body.name() != null) ? updated.then(this.keys.rename(tenant, id, body.name())) : updated;
	}

	/** Revokes a key. */
	@PostMapping("/keys/{id}/revoke")
	Mono<ApiKeyInfo> revoke(@AuthenticationPrincipal TenantPrincipal tenant, @PathVariable long id) {
		return this.keys.revoke(tenant, id);
	}

	/** A key's PII redaction policy: its own, if set, and its group's. */
	@GetMapping("/keys/{id}/redaction")
	Mono<TenantRedaction.KeyRedaction> redaction(@AuthenticationPrincipal TenantPrincipal tenant,
			@PathVariable long id) {
		return this.redaction.get(tenant, id);
	}

	/**
	 * Sets a key's own PII redaction policy, within what its group allows (a group that
	 * turns redaction off allows only {@code off}).
	 */
	@PutMapping("/keys/{id}/redaction")
	Mono<TenantRedaction.KeyRedaction> setRedaction(@AuthenticationPrincipal TenantPrincipal tenant,
			@PathVariable long id, @RequestBody RedactionBody body) {
		return this.redaction.set(tenant, id, body.policy());
	}

	/** Removes a key's own PII redaction policy, so that its group's applies. */
	@DeleteMapping("/keys/{id}/redaction")
	Mono<TenantRedaction.KeyRedaction> clearRedaction(@AuthenticationPrincipal TenantPrincipal tenant,
			@PathVariable long id) {
		return this.redaction.clear(tenant, id);
	}

	/** One page of the ledger, newest first, each entry with the balance after it. */
	@GetMapping("/ledger")
	Mono<List<LedgerEntry>> ledger(@AuthenticationPrincipal TenantPrincipal tenant,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
		return this.account.ledger(tenant, Math.max(page, 0), Math.min(Math.max(size, 1), MAX_PAGE));
	}

	/** Redeems a top-up code. */
	@PostMapping("/redemptions")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Redemption> redeem(@AuthenticationPrincipal TenantPrincipal tenant, @RequestBody Map<String, String> body) {
		return this.codes.redeem(tenant, body.get("code"))
			.doOnSuccess((redemption) -> this.metrics.redemption(true))
			.doOnError((ex) -> this.metrics.redemption(false));
	}

	/** Prices per million tokens in each of the tenant's groups, after its multiplier. */
	@GetMapping("/models")
	Mono<List<ModelPrice>> models(@AuthenticationPrincipal TenantPrincipal tenant) {
		return this.account.prices(tenant);
	}

	/**
	 * The tenant's standing.
	 *
	 * @param tenant its name
	 * @param status {@code active} or {@code suspended}
	 * @param balance prepaid balance
	 * @param reserved spend reserved by requests in flight, not yet in the balance
	 * @param windows subscription windows now
	 */
	record Balance(String tenant, String status, BigDecimal balance, BigDecimal reserved,
			List<TenantOverview.Window> windows) {
	}

	/**
	 * A page of usage.
	 *
	 * @param totals sums over every record the filter matches
	 * @param records this page's records
	 * @param page zero-based page
	 * @param size page size
	 */
	record UsagePage(UsageSummary totals, List<UsageRow> records, int page, int size) {
	}

	/**
	 * A key's redaction policy as a tenant sets it.
	 *
	 * @param mode {@code off}, {@code allowed} or {@code enforced}
	 * @param entities entity names always masked when enforced ({@code email},
	 * {@code credit_card}, ...)
	 * @param custom custom terms and {@code /patterns/} always masked when enforced
	 */
	record RedactionBody(String mode, List<String> entities, List<String> custom) {

		RedactionPolicy policy() {
			return new RedactionPolicy(RedactionPolicy.Mode.of(this.mode),
					(this.entities != null) ? this.entities : List.of(),
					(this.custom != null) ? this.custom : List.of());
		}

	}

	/**
	 * A key as a tenant sets it.
	 *
	 * @param name key name
	 * @param groupId one of the tenant's groups
	 * @param expiresAt expiry, or {@code null}
	 * @param allowedModels models the key may request (empty: all)
	 * @param concurrencyLimit concurrent requests, or {@code null}
	 * @param rpmLimit requests per minute, or {@code null}
	 * @param tpmLimit tokens per minute, or {@code null}
	 * @param spendQuota total spend allowed, or {@code null}
	 */
	record KeyBody(String name, Long groupId, Instant expiresAt, List<String> allowedModels, Integer concurrencyLimit,
			Integer rpmLimit, Integer tpmLimit, BigDecimal spendQuota) {

		KeyRequest request() {
			if (this.groupId == null) {
				throw AdminException.invalid("groupId is required");
			}
			return new KeyRequest(this.groupId, this.expiresAt, this.allowedModels, this.concurrencyLimit,
					this.rpmLimit, this.tpmLimit, this.spendQuota);
		}

	}

}
