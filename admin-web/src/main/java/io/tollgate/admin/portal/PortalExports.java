package io.tollgate.admin.portal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.CsvExports;
import io.tollgate.billing.admin.AuditLog;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageRow;
import io.tollgate.billing.ledger.LedgerEntry;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.TenantAccount;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

/**
 * A tenant's own usage and ledger as CSV, streamed from the database with the finance
 * exports' chunking, and audited.
 */
@Component
@ConsoleEnabled
class PortalExports {

	static final List<String> USAGE_HEADER = List.of("request_id", "started_at", "key_id", "key", "requested_model",
			"stream", "input_tokens", "output_tokens", "cache_creation_5m_tokens", "cache_creation_1h_tokens",
			"cache_read_tokens", "list_cost", "charged_cost", "charged_to", "outcome", "http_status", "latency_ms");

	static final List<String> LEDGER_HEADER = List.of("id", "created_at", "kind", "amount", "balance_after",
			"request_id", "actor", "reason");

	private final TenantAccount account;

	private final AuditLog audit;

	PortalExports(TenantAccount account, AuditLog audit) {
		this.account = account;
		this.audit = audit;
	}

	Mono<Void> usage(TenantPrincipal tenant, UsageFilter filter, ServerHttpResponse response) {
		return this.audit
			.record(tenant.actor(), "tenant.export.usage", "tenant", Long.toString(tenant.tenantId()),
					Map.of("from", filter.from().toString(), "to", filter.to().toString()))
			.then(write(response, "usage.csv").writeWith(CsvExports.chunks(response.bufferFactory(), USAGE_HEADER,
					this.account.stream(tenant, filter), PortalExports::usageRecord)));
	}

	Mono<Void> ledger(TenantPrincipal tenant, Instant from, Instant to, ServerHttpResponse response) {
		return this.audit
			.record(tenant.actor(), "tenant.export.ledger", "tenant", Long.toString(tenant.tenantId()),
					Map.of("from", from.toString(), "to", to.toString()))
			.then(write(response, "ledger.csv").writeWith(CsvExports.chunks(response.bufferFactory(), LEDGER_HEADER,
					this.account.streamLedger(tenant, from, to), PortalExports::ledgerRecord)));
	}

	private static ServerHttpResponse write(ServerHttpResponse response, String filename) {
		response.getHeaders().setContentType(new MediaType("text", "csv", StandardCharsets.UTF_8));
		response.getHeaders()
			.setContentDisposition(ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build());
		return response;
	}

	static List<Object> usageRecord(UsageRow row) {
		return Arrays.asList(row.requestId(), row.startedAt(), row.keyId(), row.keyName(), row.requestedModel(),
				row.stream(), row.tokens().input(), row.tokens().output(), row.tokens().cacheCreation5m(),
				row.tokens().cacheCreation1h(), row.tokens().cacheRead(), money(row.listCost()),
				money(row.chargedCost()), row.chargedTo(), row.outcome(), row.httpStatus(), row.latencyMs());
	}

	static List<Object> ledgerRecord(LedgerEntry entry) {
		return Arrays.asList(entry.id(), entry.at(), entry.kind(), money(entry.amount()), money(entry.balanceAfter()),
				entry.requestId(), entry.actor(), entry.reason());
	}

	private static String money(BigDecimal value) {
		return (value != null) ? value.toPlainString() : "";
	}

}
