package io.tollgate.gateway.messages;

import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageRecorder;
import io.tollgate.routing.usage.TokenUsage;

import org.springframework.stereotype.Component;

/**
 * Hands each finished request to billing, once, whatever way it ended.
 */
@Component
public class UsageAccounting {

	private final UsageRecorder recorder;

	public UsageAccounting(UsageRecorder recorder) {
		this.recorder = recorder;
	}

	/**
	 * Records how a request ended; only the first call for a request counts.
	 * @param request the request
	 * @param outcome how it ended
	 * @param status the HTTP status the client got
	 */
	public void finish(GatewayRequest request, Outcome outcome, int status) {
		if (!request.claimAccounting()) {
			return;
		}
		request.releasePermits();
		TokenUsage usage = request.usage();
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheCreation5mOrAll(),
				usage.cacheCreation1hInputTokens(), usage.cacheReadInputTokens());
		String upstreamModel = (request.upstreamModel() != null) ? request.upstreamModel() : request.requestedModel();
		this.recorder.record(new UsageEvent(request.id(), request.grant().tenant().id(), request.grant().keyId(),
				request.group().id(), (request.account() != null) ? request.account().id() : null,
				request.requestedModel(), upstreamModel, request.body().stream(), tokens, false, outcome, status,
				request.startedAt(), request.elapsedMillis(), request.timeToFirstTokenMillis(),
				request.group().billingMode(), request.group().multiplier()));
	}

}
