package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One usage record, with the tenant's and key's names.
 *
 * @param id id
 * @param requestId request id
 * @param startedAt when the request started
 * @param tenantId tenant
 * @param tenantName its name
 * @param keyId key
 * @param keyName its name
 * @param groupId group
 * @param accountId upstream account, or {@code null}
 * @param requestedModel model asked for
 * @param upstreamModel model sent upstream
 * @param stream whether streamed
 * @param tokens token counts
 * @param listCost cost at list price
 * @param chargedCost cost charged
 * @param chargedTo {@code balance} or {@code subscription}, or {@code null}
 * @param outcome how it ended
 * @param httpStatus status returned
 * @param latencyMs total latency
 * @param ttftMs time to first token, or {@code null}
 * @param intent what intent routing, planning and context optimisation did, or
 * {@code null} when none was asked for
 */
public record UsageRow(long id, String requestId, Instant startedAt, long tenantId, String tenantName, long keyId,
		String keyName, long groupId, Long accountId, String requestedModel, String upstreamModel, boolean stream,
		Tokens tokens, BigDecimal listCost, BigDecimal chargedCost, String chargedTo, String outcome, int httpStatus,
		long latencyMs, Long ttftMs, Intent intent) {

	/**
	 * What the router and planner did for the request.
	 *
	 * @param tag the matched tag, or {@code null}
	 * @param routedModel the model it was routed to, or {@code null}
	 * @param outcome how the decision ended ({@code routed}, {@code fallback_timeout}…)
	 * @param planningCost what the router and planner calls were charged (part of the
	 * charged cost), or {@code null}
	 * @param contextTokensSaved input tokens the context optimisations removed, or
	 * {@code null}
	 */
	public record Intent(String tag, String routedModel, String outcome, BigDecimal planningCost,
			Long contextTokensSaved) {
	}

	/**
	 * Every token kind.
	 *
	 * @param input input tokens
	 * @param output output tokens
	 * @param cacheCreation cache writes (all TTLs)
	 * @param cacheCreation5m cache writes with a 5-minute TTL
	 * @param cacheCreation1h cache writes with a 1-hour TTL
	 * @param cacheRead cache reads
	 */
	public record Tokens(long input, long output, long cacheCreation, long cacheCreation5m, long cacheCreation1h,
			long cacheRead) {

		/** All tokens. */
		public long total() {
			return this.input + this.output + this.cacheCreation + this.cacheRead;
		}

	}

}
