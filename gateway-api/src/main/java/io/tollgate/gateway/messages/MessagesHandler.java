package io.tollgate.gateway.messages;

import java.util.List;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.edge.EventLoops;
import io.tollgate.gateway.edge.RequestIds;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.forward.AnthropicForwarder;
import io.tollgate.gateway.forward.UpstreamResponse;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.routing.request.MessagesRequestScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferUtils;
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

	private final KeyAuthenticator authenticator;

	private final RoutePlanner planner;

	private final AnthropicForwarder anthropic;

	private final UsageAccounting accounting;

	private final GatewayProperties properties;

	public MessagesHandler(KeyAuthenticator authenticator, RoutePlanner planner, AnthropicForwarder anthropic,
			UsageAccounting accounting, GatewayProperties properties) {
		this.authenticator = authenticator;
		this.planner = planner;
		this.anthropic = anthropic;
		this.accounting = accounting;
		this.properties = properties;
	}

	public Mono<ServerResponse> messages(ServerRequest request) {
		GatewayRequest gateway = this.authenticator.authenticate(request.headers().asHttpHeaders(),
				RequestIds.of(request.exchange()));
		gateway.eventLoop(EventLoops.of(request.exchange()));
		return readBody(request).flatMap((bytes) -> {
			gateway.body(MessagesRequestScanner.scan(bytes, true));
			admit(gateway);
			List<Candidate> candidates = this.planner.plan(gateway);
			return forward(gateway, request, candidates, 0, null, "/v1/messages");
		});
	}

	public Mono<ServerResponse> countTokens(ServerRequest request) {
		GatewayRequest gateway = this.authenticator.authenticate(request.headers().asHttpHeaders(),
				RequestIds.of(request.exchange()));
		gateway.eventLoop(EventLoops.of(request.exchange()));
		return readBody(request).flatMap((bytes) -> {
			gateway.body(MessagesRequestScanner.scan(bytes, false));
			admit(gateway);
			if (gateway.group().platform() != Platform.ANTHROPIC) {
				throw GatewayException.notFound("Token counting is not supported for this platform");
			}
			List<Candidate> candidates = this.planner.plan(gateway)
				.stream()
				.filter((candidate) -> candidate.account().supportsCountTokens())
				.toList();
			if (candidates.isEmpty()) {
				throw GatewayException.notFound("Token counting is not supported for this platform");
			}
			return forward(gateway, request, candidates, 0, null, "/v1/messages/count_tokens");
		});
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
			.switchIfEmpty(Mono.error(() -> GatewayException.invalidRequest("Request body is empty")));
	}

	private void admit(GatewayRequest request) {
		if (request.group().billingMode() == BillingMode.BALANCE && request.grant().tenant().balance().signum() <= 0) {
			throw GatewayException.billing("Your credit balance is too low to access this API. Please top up.");
		}
	}

	private Mono<ServerResponse> forward(GatewayRequest request, ServerRequest client, List<Candidate> candidates,
			int attempt, Failure lastFailure, String path) {
		if (attempt >= candidates.size() || attempt >= this.properties.maxAttempts()) {
			return answerFailure(request, lastFailure, path);
		}
		Candidate candidate = candidates.get(attempt);
		request.account(candidate.account());
		byte[] body = request.body().forwardBody(candidate.model());
		return this.anthropic.send(request, path, client.headers().asHttpHeaders(), body).flatMap((response) -> {
			if (response.successful()) {
				return answer(request, response, path);
			}
			return response.aggregate().flatMap((errorBody) -> {
				Failure failure = new Failure(response.status(), response.header("content-type"),
						response.header("retry-after"), errorBody);
				if (!failure.worthRetryingElsewhere()) {
					return answerFailure(request, failure, path);
				}
				logger.debug("Request {}: account {} answered {}, trying the next", request.id(),
						candidate.account().name(), response.status());
				return forward(request, client, candidates, attempt + 1, failure, path);
			});
		}).onErrorResume((ex) -> !(ex instanceof GatewayException), (ex) -> {
			logger.debug("Request {}: account {} failed: {}", request.id(), candidate.account().name(), ex.toString());
			return forward(request, client, candidates, attempt + 1, Failure.unreachable(ex), path);
		});
	}

	private Mono<ServerResponse> answer(GatewayRequest request, UpstreamResponse response, String path) {
		if (path.endsWith("count_tokens")) {
			return response.aggregate()
				.flatMap((bytes) -> ServerResponse.status(response.status())
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(bytes));
		}
		return this.anthropic.answer(request, response);
	}

	private Mono<ServerResponse> answerFailure(GatewayRequest request, Failure failure, String path) {
		if (!path.endsWith("count_tokens")) {
			this.accounting.finish(request, Outcome.UPSTREAM_ERROR, failure.status());
		}
		return failure.toResponse();
	}

}
