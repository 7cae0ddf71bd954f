package io.tollgate.gateway.intent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.forward.AnthropicForwarder;
import io.tollgate.gateway.forward.Forwarder;
import io.tollgate.gateway.forward.OpenAiForwarder;
import io.tollgate.gateway.forward.UpstreamFailure;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RoutePlanner;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.gateway.routing.AccountRouter;
import io.tollgate.gateway.routing.Route;
import io.tollgate.routing.usage.TokenUsage;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Calls a model on a request's behalf through Tollgate's own forwarding: the group's
 * mapping and accounts, account permits, health and failover, and conversion for
 * OpenAI-compatible accounts. The whole answer is read into memory as an Anthropic
 * Message and priced at the group's multiplier.
 */
@Component
public class InternalCalls {

	/** No client headers: the call is Tollgate's own. */
	private static final HttpHeaders NO_HEADERS = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders());

	private final RoutePlanner planner;

	private final AccountRouter router;

	private final AnthropicForwarder anthropic;

	private final OpenAiForwarder openai;

	private final Directory directory;

	public InternalCalls(RoutePlanner planner, AccountRouter router, AnthropicForwarder anthropic,
			OpenAiForwarder openai, Directory directory) {
		this.planner = planner;
		this.router = router;
		this.anthropic = anthropic;
		this.openai = openai;
		this.directory = directory;
	}

	/**
	 * Sends a Messages request and reads the whole answer.
	 * @param request the request the call is made for
	 * @param purpose what the call is for ({@code router}, {@code planner})
	 * @param body the Messages request, non-streaming
	 * @param keyMustAllow whether the key's allowed models apply to the call's model
	 * @param timeout the longest wait for the whole answer
	 * @return the answer, or an error when no account answered in time
	 */
	public Mono<Answer> call(GatewayRequest request, String purpose, byte[] body, boolean keyMustAllow,
			Duration timeout) {
		return Mono.defer(() -> {
			GatewayRequest call = request.internalCall(purpose, body);
			List<Candidate> candidates = this.planner.plan(call, keyMustAllow);
			return this.router.route(call, candidates, NO_HEADERS, true)
				.flatMap((route) -> attempt(call, route, null))
				.map((message) -> new Answer(message, call.usage(), price(call)))
				.timeout(timeout)
				.doFinally((signal) -> call.releasePermits());
		});
	}

	private Mono<byte[]> attempt(GatewayRequest call, Route route, UpstreamFailure last) {
		return route.next().flatMap((attempt) -> {
			call.account(attempt.account());
			// the call goes to whichever protocol its account speaks
			Forwarder forwarder = (attempt.account().platform() == Platform.OPENAI) ? this.openai : this.anthropic;
			return forwarder.send(call, attempt.candidate().model(), NO_HEADERS).flatMap((response) -> {
				if (response.successful()) {
					return forwarder.capture(call, response).doOnNext((message) -> attempt.succeeded());
				}
				return response.aggregate().flatMap((error) -> {
					UpstreamFailure failure = forwarder.failure(call, response, error);
					attempt.failed(response, failure);
					return failure.worthRetryingElsewhere() ? attempt(call, route, failure)
							: Mono.error(CallFailed.answered(failure.status()));
				});
			}).onErrorResume((ex) -> !(ex instanceof GatewayException) && !(ex instanceof CallFailed), (ex) -> {
				UpstreamFailure failure = UpstreamFailure.unreachable(ex);
				attempt.unreachable(failure);
				return attempt(call, route, failure);
			}).doOnCancel(attempt::abandon);
		})
			.switchIfEmpty(Mono.error(() -> (last != null) ? CallFailed.answered(last.status())
					: CallFailed.answered(route.nothingAvailable().status())));
	}

	private Cost price(GatewayRequest call) {
		TokenUsage usage = call.usage();
		TokenCounts tokens = new TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheCreation5mOrAll(),
				usage.cacheCreation1hInputTokens(), usage.cacheReadInputTokens());
		return this.directory.prices()
			.priceOf(call.upstreamModel(), Instant.now())
			.map((price) -> Cost.of(price, tokens, call.group().multiplier()))
			.orElse(Cost.NONE);
	}

	/**
	 * A whole answer.
	 *
	 * @param message the Anthropic Message
	 * @param usage its tokens
	 * @param cost what it costs the tenant
	 */
	public record Answer(byte[] message, TokenUsage usage, Cost cost) {
	}

	/** No account gave a usable answer. */
	static final class CallFailed extends RuntimeException {

		private CallFailed(String message) {
			super(message, null, false, false);
		}

		static CallFailed answered(int status) {
			return new CallFailed("HTTP " + status);
		}

	}

}
