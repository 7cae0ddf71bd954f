package io.tollgate.gateway.messages;

import io.tollgate.billing.admission.Ticket;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageRecorder;
import io.tollgate.routing.usage.TokenUsage;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Hands each finished request to billing, once, whatever way it ended: releases its
 * permits, prices it, settles what admission reserved, and records it (journal first). A
 * stream the client abandoned is billed for the input from {@code message_start} and the
 * output estimated from what was streamed, marked as estimated.
 */
@Component
public class UsageAccounting {

	private final UsageRecorder recorder;

	private final Directory directory;

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
		request.releasePermits();
		TokenUsage usage = request.usage();
		boolean estimated = false;
		if (outcome == Outcome.CLIENT_CANCELLED && request.body().stream()) {
			long streamed = request.streamed().estimateTokens();
			if (streamed > usage.outputTokens()) {
				usage = usage.withOutputTokens(streamed);
				estimated = true;
			}
		}
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheCreation5mOrAll(),
				usage.cacheCreation1hInputTokens(), usage.cacheReadInputTokens());
		String upstreamModel = (request.upstreamModel() != null) ? request.upstreamModel() : request.requestedModel();
		Cost cost = this.directory.prices()
			.priceOf(upstreamModel, request.startedAt())
			.map((price) -> Cost.of(price, tokens, request.group().multiplier()))
			.orElse(Cost.NONE);
		Ticket ticket = request.ticket();
		boolean estimatedTokens = estimated;
		// the charge is known at once unless the cost went beyond the reservation on
		// shared counters: then it is recorded when they answered
		Mono<Cost> charged = (ticket != null) ? ticket.settle(cost, tokens) : Mono.just(cost);
		charged.subscribe((settled) -> this.recorder
			.record(new UsageEvent(request.id(), request.grant().tenant().id(), request.grant().keyId(),
					request.group().id(), (request.account() != null) ? request.account().id() : null,
					request.requestedModel(), upstreamModel, request.body().stream(), tokens, estimatedTokens, outcome,
					status, request.startedAt(), request.elapsedMillis(), request.timeToFirstTokenMillis(),
					request.group().billingMode(), request.group().multiplier(), settled,
					(ticket != null) ? ticket.chargedTo() : null, (ticket != null) ? ticket.subscriptionId() : null,
					(ticket != null && ticket.clamped()) ? ticket.maxTokens() : null,
					(ticket != null && ticket.overdrawn(settled)) ? Boolean.TRUE : null)));
	}

	/**
	 * Ends a request that never reached an answer (refused or failed before forwarding,
	 * or the client left while it waited): its permits and reserved spend come back,
	 * nothing is recorded. Does nothing once the request was finished.
	 * @param request the request
	 */
	public void abandon(GatewayRequest request) {
		if (!request.claimAccounting()) {
			return;
		}
		request.releasePermits();
		Ticket ticket = request.ticket();
		if (ticket != null) {
			ticket.cancel();
		}
	}

}
