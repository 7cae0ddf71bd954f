package io.tollgate.gateway.observability;

import java.math.BigDecimal;

import io.tollgate.billing.price.TokenCounts;
import io.tollgate.gateway.messages.IntentReport;

/**
 * Everything observed of one finished request, for its metrics and its access-log line.
 * Never a prompt, a completion or a key: only the key's display prefix and name.
 *
 * @param requestId Tollgate's request id
 * @param endpoint {@code messages} or {@code count_tokens}
 * @param traceId the trace id, or {@code null} when not traced
 * @param upstreamRequestId the upstream's request id of the last attempt, or {@code null}
 * @param tenant tenant name, or {@code null} before authentication
 * @param keyPrefix the key's display prefix, or {@code null}
 * @param keyName the key's name, or {@code null}
 * @param group group name, or {@code null}
 * @param requestedModel the model asked for, or {@code null}
 * @param upstreamModel the model sent upstream, or {@code null}
 * @param account the last account tried, or {@code null}
 * @param platform that account's platform (else the group's), or {@code null}
 * @param stream whether a stream was asked for, or {@code null} when unknown
 * @param status the HTTP status the client got (0 when it left before a status)
 * @param outcome {@code ok}, {@code upstream_error}, {@code client_cancelled},
 * {@code gateway_error} or {@code rejected}
 * @param errorType the Anthropic error type of a failed request, or {@code null}
 * @param refusal why admission refused it, or {@code null}
 * @param attempts upstream attempts made
 * @param tokens the tokens billed, or {@code null} when not accounted
 * @param estimated whether some tokens were estimated
 * @param listCost cost at list price, or {@code null}
 * @param chargedCost cost charged, or {@code null}
 * @param latencyNanos time from arrival to the end of the response
 * @param ttftNanos time to the first token, or -1
 * @param clientAddress the client's address (4 or 16 bytes), or {@code null}
 * @param intent what intent routing, planning and context optimisation did, or
 * {@code null}
 */
record FinishedRequest(String requestId, String endpoint, String traceId, String upstreamRequestId, String tenant,
		String keyPrefix, String keyName, String group, String requestedModel, String upstreamModel, String account,
		String platform, Boolean stream, int status, String outcome, String errorType, String refusal, int attempts,
		TokenCounts tokens, boolean estimated, BigDecimal listCost, BigDecimal chargedCost, long latencyNanos,
		long ttftNanos, byte[] clientAddress, IntentReport intent) {

	FinishedRequest(String requestId, String endpoint, String traceId, String upstreamRequestId, String tenant,
			String keyPrefix, String keyName, String group, String requestedModel, String upstreamModel, String account,
			String platform, Boolean stream, int status, String outcome, String errorType, String refusal, int attempts,
			TokenCounts tokens, boolean estimated, BigDecimal listCost, BigDecimal chargedCost, long latencyNanos,
			long ttftNanos, byte[] clientAddress) {
		this(requestId, endpoint, traceId, upstreamRequestId, tenant, keyPrefix, keyName, group, requestedModel,
				upstreamModel, account, platform, stream, status, outcome, errorType, refusal, attempts, tokens,
				estimated, listCost, chargedCost, latencyNanos, ttftNanos, clientAddress, null);
	}

	/** Cache-read tokens over cacheable input (input, cache writes, cache reads). */
	static double cacheHitRatio(long cacheRead, long cacheable) {
		return (cacheable > 0) ? (double) cacheRead / cacheable : 0;
	}

}
