package io.tollgate.gateway.messages;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.edge.EventLoops;
import io.tollgate.gateway.edge.RequestIds;
import io.tollgate.gateway.error.ClientGone;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.forward.AnthropicForwarder;
import io.tollgate.gateway.forward.Forwarder;
import io.tollgate.gateway.forward.OpenAiForwarder;
import io.tollgate.gateway.forward.UpstreamFailure;
import io.tollgate.gateway.forward.UpstreamResponse;
import io.tollgate.gateway.intent.IntentStage;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.gateway.observability.RequestObservation;
import io.tollgate.gateway.redact.RedactionStage;
import io.tollgate.gateway.routing.AccountRouter;
import io.tollgate.gateway.routing.Route;
import io.tollgate.routing.convert.TokenEstimator;
import io.tollgate.routing.redact.Redactor;
import io.tollgate.routing.request.MessagesRequestScanner;
import io.tollgate.routing.request.RequestStrings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}: authenticate,
 * admit, plan, forward with failover before the first byte, answer, account.
 */
@Component
public class MessagesHandler {

	private static final Logger logger = LoggerFactory.getLogger(MessagesHandler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KeyAuthenticator authenticator;

	private final RoutePlanner planner;

	private final AccountRouter router;

	private final AnthropicForwarder anthropic;

	private final OpenAiForwarder openai;

	private final UsageAccounting accounting;

	private final GatewayProperties properties;

	private final RequestAdmission admission;

	private final TokenEstimator estimator = new TokenEstimator();

	private final RedactionStage redaction;

	private final IntentStage intent;

	public MessagesHandler(KeyAuthenticator authenticator, RoutePlanner planner, AccountRouter router,
			AnthropicForwarder anthropic, OpenAiForwarder openai, UsageAccounting accounting,
			GatewayProperties properties, RequestAdmission admission, RedactionStage redaction, IntentStage intent) {
		this.admission = admission;
		this.intent = intent;
		this.redaction = redaction;
		this.authenticator = authenticator;
		this.planner = planner;
		this.router = router;
		this.anthropic = anthropic;
		this.openai = openai;
		this.accounting = accounting;
		this.properties = properties;
	}

	public Mono<ServerResponse> messages(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		return receive(request, true).flatMap((gateway) -> {
			Forwarder forwarder = forwarderFor(gateway.group().platform());
			List<Candidate> candidates = this.planner.plan(this.intent.prepare(gateway));
			HttpHeaders responseHeaders = request.exchange().getResponse().getHeaders();
			// whatever ends the request before an answer gives back what admission took;
			// once answered, the answer accounts for it
			AtomicBoolean answered = new AtomicBoolean();
			gateway.observation().expectAccounting();
			return this.admission.admit(gateway, responseHeaders)
				.then(Mono.defer(() -> this.intent.apply(gateway, candidates, responseHeaders)))
				.flatMap((routed) -> this.router.route(gateway, routed, headers, true))
				.flatMap((route) -> forward(gateway, route, null,
						(candidate, g) -> forwarder.send(g, candidate.model(), headers), forwarder, true))
				.doOnNext((response) -> answered.set(true))
				.doOnError((ex) -> gateway.failedWith((ex instanceof GatewayException known) ? known.status() : 500))
				.doFinally((signal) -> {
					if (!answered.get()) {
						this.accounting.abandon(gateway, signal == SignalType.CANCEL);
					}
				});
		});
	}

	public Mono<ServerResponse> countTokens(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		return receive(request, false).flatMap((gateway) -> {
			List<Candidate> candidates = this.planner.plan(this.intent.prepare(gateway));
			return this.admission.checkPayable(gateway).then(Mono.defer(() -> count(gateway, candidates, headers)));
		});
	}

	private Mono<ServerResponse> count(GatewayRequest gateway, List<Candidate> candidates, HttpHeaders headers) {
		if (gateway.group().platform() != Platform.ANTHROPIC) {
			return estimate(gateway);
		}
		List<Candidate> counting = candidates.stream()
			.filter((candidate) -> candidate.account().supportsCountTokens())
			.toList();
		if (counting.isEmpty()) {
			return estimate(gateway);
		}
		return this.router.route(gateway, counting, headers, false)
			.flatMap((route) -> forward(gateway, route, null,
					(candidate, g) -> this.anthropic.countTokens(g, candidate.model(), headers), this.anthropic,
					false));
	}

	/**
	 * Authenticates, reads and scans the body, and admits: what every endpoint does
	 * first.
	 */
	private Mono<GatewayRequest> receive(ServerRequest request, boolean requireMaxTokens) {
		GatewayRequest gateway = this.authenticator.authenticate(request.headers().asHttpHeaders(),
				RequestIds.of(request.exchange()));
		gateway.eventLoop(EventLoops.of(request.exchange()));
		RequestObservation.of(request.exchange()).attach(gateway);
		gateway.query(request.uri().getRawQuery());
		return readBody(request).flatMap((bytes) -> {
			gateway.body(MessagesRequestScanner.scan(bytes, requireMaxTokens));
			String session = request.headers().firstHeader(AccountRouter.SESSION_HEADER);
			if (session != null) {
				RequestStrings.storable(AccountRouter.SESSION_HEADER, session, RequestStrings.SESSION_ID_MAX_LENGTH);
			}
			this.admission.check(gateway, request.exchange().getRequest().getRemoteAddress(),
					request.headers().asHttpHeaders());
			return redact(request, gateway, bytes, requireMaxTokens);
		});
	}

	/** Masks what the policy and the request's {@code gateway.redact} ask for. */
	private Mono<GatewayRequest> redact(ServerRequest request, GatewayRequest gateway, byte[] bytes,
			boolean requireMaxTokens) {
		Redactor redactor = this.redaction.redactorFor(gateway.group().id(), gateway.grant().keyId(),
				gateway.body().gateway());
		if (redactor.isEmpty()) {
			return Mono.just(gateway);
		}
		return this.redaction.redact(bytes, redactor).map((result) -> {
			if (result.changed()) {
				gateway.body(MessagesRequestScanner.scan(result.body(), requireMaxTokens));
				gateway.redactions(result.tally());
				request.exchange().getResponse().getHeaders().set(RedactionStage.HEADER, result.tally().toString());
			}
			return gateway;
		});
	}

	private Mono<ServerResponse> estimate(GatewayRequest request) {
		if (!request.group().estimateCountTokens()) {
			throw GatewayException.notFound("Token counting is not supported for this platform");
		}
		int tokens = this.estimator.estimateInputTokens(JSON.readTree(request.body().body()));
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header("x-tollgate-token-count", "estimate")
			.bodyValue("{\"input_tokens\":" + tokens + "}");
	}

	private Forwarder forwarderFor(Platform platform) {
		return (platform == Platform.OPENAI) ? this.openai : this.anthropic;
	}

	private Mono<byte[]> readBody(ServerRequest request) {
		return DataBufferUtils
			.join(request.exchange().getRequest().getBody(),
					Math.toIntExact(this.properties.maxRequestSize().toBytes()))
			.map((buffer) -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.onErrorMap(ClientGone::whileReadingBody)
			.switchIfEmpty(Mono.error(() -> GatewayException.invalidRequest("Request body is empty")));
	}

	/**
	 * Tries the route's accounts in turn until one answers; an attempt that fails before
	 * the first byte reached the client gives its account back and moves on, within the
	 * configured attempts and deadline.
	 */
	private Mono<ServerResponse> forward(GatewayRequest request, Route route, UpstreamFailure lastFailure,
			BiFunction<Candidate, GatewayRequest, Mono<UpstreamResponse>> send, Forwarder forwarder, boolean billed) {
		return route.next().flatMap((attempt) -> {
			request.account(attempt.account());
			// the client leaving while the upstream works on it still costs the input
			return send.apply(attempt.candidate(), request)
				.doOnCancel(() -> cancelledBeforeTheAnswer(request, billed))
				.transform(request.observation()::attempt)
				.flatMap((response) -> {
					if (response.successful()) {
						// a whole answer is read before it counts as a success: a
						// malformed one
						// fails the attempt, and the next account is tried
						return (billed ? forwarder.answer(request, response) : this.anthropic.counted(response))
							.doOnNext((answer) -> attempt.succeeded());
					}
					return response.aggregate().flatMap((body) -> {
						UpstreamFailure failure = forwarder.failure(request, response, body);
						attempt.failed(response, failure);
						if (!failure.worthRetryingElsewhere()) {
							return giveUp(request, route, failure, billed);
						}
						logger.debug("Request {}: account {} answered {}, trying the next", request.id(),
								attempt.account().name(), response.status());
						return forward(request, route, failure, send, forwarder, billed);
					});
				})
				.onErrorResume((ex) -> !(ex instanceof GatewayException), (ex) -> {
					logger.debug("Request {}: account {} failed: {}", request.id(), attempt.account().name(),
							ex.toString());
					UpstreamFailure failure = UpstreamFailure.unreachable(ex);
					attempt.unreachable(failure);
					return forward(request, route, failure, send, forwarder, billed);
				})
				.doOnCancel(attempt::abandon);
		}).switchIfEmpty(Mono.defer(() -> giveUp(request, route, lastFailure, billed)));
	}

	private void cancelledBeforeTheAnswer(GatewayRequest request, boolean billed) {
		if (billed) {
			this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499);
		}
	}

	private Mono<ServerResponse> giveUp(GatewayRequest request, Route route, UpstreamFailure failure, boolean billed) {
		if (failure == null) {
			failure = UpstreamFailure.of(route.nothingAvailable());
		}
		if (billed) {
			this.accounting.finish(request, Outcome.UPSTREAM_ERROR, failure.status());
		}
		return failure.toResponse();
	}

}
