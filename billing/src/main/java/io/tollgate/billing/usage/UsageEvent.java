package io.tollgate.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;

/**
 * One finished request, as the gateway hands it to billing.
 *
 * @param requestId the request id; a request is recorded and charged at most once
 * @param tenantId tenant
 * @param keyId API key
 * @param groupId group
 * @param accountId upstream account that served it, or {@code null}
 * @param requestedModel model the client asked for
 * @param upstreamModel model the upstream ran (the one priced)
 * @param stream whether it streamed
 * @param tokens tokens used
 * @param estimated whether some tokens were estimated (client cancelled mid-stream)
 * @param outcome how it ended
 * @param httpStatus status returned to the client
 * @param startedAt when Tollgate received it
 * @param latencyMs total time until the response ended
 * @param ttftMs time to the first byte of the answer, or {@code null}
 * @param billingMode how the group pays, as of the request
 * @param multiplier the group's price multiplier, as of the request
 * @param cost what it cost, priced when it ended; {@code null} to price it when written
 * @param chargedTo what pays for it; {@code null} for the group's billing mode
 * @param subscriptionId the subscription whose windows paid, or {@code null}
 * @param upstreamRequestId the id the upstream gave the request, or {@code null}
 * @param maxTokensClamped the {@code max_tokens} sent upstream when admission lowered the
 * client's to what was left, else {@code null}
 * @param overdraft whether admission let the request reach into the tenant's overdraft;
 * {@code null} for no
 * @param redactions what PII redaction masked, by entity ({@code email=2,secret=1}), or
 * {@code null} when nothing
 * @param intent what intent routing, planning and context optimisation did, or
 * {@code null} when none was asked for
 */
public record UsageEvent(String requestId, long tenantId, long keyId, long groupId, Long accountId,
		String requestedModel, String upstreamModel, boolean stream, TokenCounts tokens, boolean estimated,
		Outcome outcome, int httpStatus, Instant startedAt, long latencyMs, Long ttftMs, BillingMode billingMode,
		BigDecimal multiplier, Cost cost, ChargedTo chargedTo, Long subscriptionId, String upstreamRequestId,
		Long maxTokensClamped, Boolean overdraft, String redactions, Intent intent) {

	/** A finished request without intent routing. */
	public UsageEvent(String requestId, long tenantId, long keyId, long groupId, Long accountId, String requestedModel,
			String upstreamModel, boolean stream, TokenCounts tokens, boolean estimated, Outcome outcome,
			int httpStatus, Instant startedAt, long latencyMs, Long ttftMs, BillingMode billingMode,
			BigDecimal multiplier, Cost cost, ChargedTo chargedTo, Long subscriptionId, String upstreamRequestId,
			Long maxTokensClamped, Boolean overdraft, String redactions) {
		this(requestId, tenantId, keyId, groupId, accountId, requestedModel, upstreamModel, stream, tokens, estimated,
				outcome, httpStatus, startedAt, latencyMs, ttftMs, billingMode, multiplier, cost, chargedTo,
				subscriptionId, upstreamRequestId, maxTokensClamped, overdraft, redactions, null);
	}

	/** A finished request in which nothing was masked. */
	public UsageEvent(String requestId, long tenantId, long keyId, long groupId, Long accountId, String requestedModel,
			String upstreamModel, boolean stream, TokenCounts tokens, boolean estimated, Outcome outcome,
			int httpStatus, Instant startedAt, long latencyMs, Long ttftMs, BillingMode billingMode,
			BigDecimal multiplier, Cost cost, ChargedTo chargedTo, Long subscriptionId, String upstreamRequestId,
			Long maxTokensClamped, Boolean overdraft) {
		this(requestId, tenantId, keyId, groupId, accountId, requestedModel, upstreamModel, stream, tokens, estimated,
				outcome, httpStatus, startedAt, latencyMs, ttftMs, billingMode, multiplier, cost, chargedTo,
				subscriptionId, upstreamRequestId, maxTokensClamped, overdraft, null);
	}

	/**
	 * A finished request without an upstream request id, admitted at the client's
	 * {@code max_tokens}, without overdraft.
	 */
	public UsageEvent(String requestId, long tenantId, long keyId, long groupId, Long accountId, String requestedModel,
			String upstreamModel, boolean stream, TokenCounts tokens, boolean estimated, Outcome outcome,
			int httpStatus, Instant startedAt, long latencyMs, Long ttftMs, BillingMode billingMode,
			BigDecimal multiplier, Cost cost, ChargedTo chargedTo, Long subscriptionId) {
		this(requestId, tenantId, keyId, groupId, accountId, requestedModel, upstreamModel, stream, tokens, estimated,
				outcome, httpStatus, startedAt, latencyMs, ttftMs, billingMode, multiplier, cost, chargedTo,
				subscriptionId, null, null, null, null, null);
	}

	/**
	 * A finished request priced when written, charged as its group's billing mode says.
	 */
	public UsageEvent(String requestId, long tenantId, long keyId, long groupId, Long accountId, String requestedModel,
			String upstreamModel, boolean stream, TokenCounts tokens, boolean estimated, Outcome outcome,
			int httpStatus, Instant startedAt, long latencyMs, Long ttftMs, BillingMode billingMode,
			BigDecimal multiplier) {
		this(requestId, tenantId, keyId, groupId, accountId, requestedModel, upstreamModel, stream, tokens, estimated,
				outcome, httpStatus, startedAt, latencyMs, ttftMs, billingMode, multiplier, null, null, null, null,
				null, null, null, null);
	}

	/** What pays for it. */
	public ChargedTo payer() {
		if (this.chargedTo != null) {
			return this.chargedTo;
		}
		return (this.billingMode == BillingMode.SUBSCRIPTION) ? ChargedTo.SUBSCRIPTION : ChargedTo.BALANCE;
	}

	/**
	 * What the router and planner models did for a request. Their cost is part of the
	 * request's cost already.
	 *
	 * @param tag the tag the router matched, or {@code null}
	 * @param routedModel the model the request was routed to, or {@code null} when it
	 * kept the requested one
	 * @param outcome how the decision ended ({@code routed}, {@code kept},
	 * {@code fallback_error}, {@code fallback_timeout}, {@code fallback_invalid},
	 * {@code fallback_unservable})
	 * @param planningInputTokens input tokens of the router and planner calls
	 * @param planningOutputTokens output tokens of the router and planner calls
	 * @param planningCost what those calls were charged, after the group's multiplier
	 * @param contextTokensSaved input tokens the context optimisations removed, estimated
	 */
	public record Intent(String tag, String routedModel, String outcome, long planningInputTokens,
			long planningOutputTokens, BigDecimal planningCost, long contextTokensSaved) {
	}

}
