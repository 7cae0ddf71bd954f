package io.tollgate.gateway.messages;

import io.tollgate.billing.admission.Ticket;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageRecorder;
import io.tollgate.routing.convert.TokenEstimator;
import io.tollgate.routing.usage.TokenUsage;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Hands each finished request to billing, once, whatever way it ended: releases its
 * permits, prices it, settles what admission reserved, and records it (journal first). A
 * stream the client abandoned is billed for the input from {@code message_start} and the
 * output estimated from what was streamed (from the first delta on), marked as estimated.
 * A request the client abandoned before the upstream's answer began (or before its usage
 * came) is recorded as {@code client_cancelled} with its input estimated by the
 * {@link TokenEstimator} and charged: the upstream bills a prompt it started on.
 */
@Component
public class UsageAccounting {

	private final UsageRecorder recorder;

	private final Directory directory;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TokenEstimator estimator = new TokenEstimator();

	public UsageAccounting(UsageRecorder recorder, Directory directory) {
		this.recorder = recorder;
		this.directory = directory;
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
		request.observation().accounting();
		request.releasePermits();
		TokenUsage usage = request.usage();
		boolean estimated = false;
		if (outcome == Outcome.CLIENT_CANCELLED) {
			if (request.body().stream() && request.streamed().delivered()) {
				// the usage the upstream reported so far is message_start's placeholder
				long streamed = Math.max(1, request.streamed().estimateTokens());
				usage = usage.withOutputTokens(Math.max(streamed, usage.outputTokens()));
				estimated = true;
			}
			if (usage.inputTokens() == 0 && usage.cacheReadInputTokens() == 0 && usage.cacheCreationInputTokens() == 0
					&& request.account() != null) {
				// gone before the upstream said what the prompt cost: the upstream still
				// bills it, so it is estimated and charged
				long input = estimateInput(request);
				if (input > 0) {
					usage = new TokenUsage(input, usage.outputTokens(), 0, 0, 0, 0);
					estimated = true;
				}
			}
		}
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheCreation5mOrAll(),
				usage.cacheCreation1hInputTokens(), usage.cacheReadInputTokens());
		String upstreamModel = (request.upstreamModel() != null) ? request.upstreamModel() : request.requestedModel();
		Cost cost = this.directory.prices()
			.priceOf(upstreamModel, request.startedAt())
			.map((price) -> Cost.of(price, tokens, request.group().multiplier()))
			.orElse(Cost.NONE);
		IntentReport intent = request.intent();
		if (intent != null) {
			// the router and planner calls were made for this request: its payer pays
			// them
			cost = intent.addTo(cost);
		}
		Ticket ticket = request.ticket();
		boolean estimatedTokens = estimated;
		// the charge is known at once unless the cost went beyond the reservation on
		// shared counters: then it is recorded when they answered
		Mono<Cost> charged = (ticket != null) ? ticket.settle(cost, tokens) : Mono.just(cost);
		charged.subscribe((settled) -> {
			this.recorder.record(new UsageEvent(request.id(), request.grant().tenant().id(), request.grant().keyId(),
					request.group().id(), (request.account() != null) ? request.account().id() : null,
					request.requestedModel(), upstreamModel, request.body().stream(), tokens, estimatedTokens, outcome,
					status, request.startedAt(), request.elapsedMillis(), request.timeToFirstTokenMillis(),
					request.group().billingMode(), request.group().multiplier(), settled,
					(ticket != null) ? ticket.chargedTo() : null, (ticket != null) ? ticket.subscriptionId() : null,
					request.upstreamRequestId(), (ticket != null && ticket.clamped()) ? ticket.maxTokens() : null,
					(ticket != null && ticket.overdrawn(settled)) ? Boolean.TRUE : null,
					(request.redactions() != null) ? request.redactions().toString() : null,
					(intent != null) ? intent.toEvent() : null));
			request.observation().accounted(outcome, status, tokens, settled, estimatedTokens);
		});

	}

	private long estimateInput(GatewayRequest request) {
		try {
			return this.estimator.estimateInputTokens(JSON.readTree(request.body().body()));
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Ends a request that never reached an answer (refused or failed before forwarding,
	 * or the client left while it waited): its permits and reserved spend come back,
	 * nothing is recorded. Does nothing once the request was finished.
	 * @param request the request
	 */
	public void abandon(GatewayRequest request) {
		abandon(request, false);
	}

	/**
	 * Ends a request that never reached an answer. Router or planner calls already made
	 * for it were paid upstream: then it is recorded and charged for them (its own tokens
	 * zero), as {@code client_cancelled} or as the gateway error that ended it.
	 * @param request the request
	 * @param clientGone whether the client went away
	 */
	public void abandon(GatewayRequest request, boolean clientGone) {
		IntentReport intent = request.intent();
		if (intent != null && intent.hasPlanningUsage() && !request.ended()) {
			int status = clientGone ? 499 : (request.failedWith() != 0) ? request.failedWith() : 500;
			finish(request, clientGone ? Outcome.CLIENT_CANCELLED : Outcome.GATEWAY_ERROR, status);
			return;
		}
		if (!request.claimAccounting()) {
			return;
		}
		request.releasePermits();
		Ticket ticket = request.ticket();
		if (ticket != null) {
			ticket.cancel();
		}
		request.observation().abandoned();
	}

}
