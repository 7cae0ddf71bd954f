package io.tollgate.gateway.forward;

import io.netty.handler.codec.http.HttpHeaders;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.error.AnthropicErrors;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RequestAdmission;
import io.tollgate.gateway.messages.UsageAccounting;
import io.tollgate.routing.request.MaxTokensRewrite;
import io.tollgate.routing.response.AnthropicResponses;
import io.tollgate.routing.usage.AnthropicUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.core.JacksonException;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Forwards to accounts on the Anthropic platform: the client's body byte-faithful but for
 * the model, its query string ({@code ?beta=true}), the headers {@link UpstreamHeaders}
 * allows, the account's key; and answers with the upstream's response, streamed event by
 * event or whole, with its rate-limit and retry headers. A whole answer that is not a
 * complete JSON object is a failure of the account, before the first byte.
 */
@Component
public class AnthropicForwarder implements Forwarder {

	private static final Logger logger = LoggerFactory.getLogger(AnthropicForwarder.class);

	static final String DEFAULT_VERSION = "2023-06-01";

	private final UpstreamClient upstream;

	private final GatewayProperties properties;

	private final UsageAccounting accounting;

	private final RequestFeatureMetrics features;

	public AnthropicForwarder(UpstreamClient upstream, GatewayProperties properties, UsageAccounting accounting,
			RequestFeatureMetrics features) {
		this.upstream = upstream;
		this.properties = properties;
		this.accounting = accounting;
		this.features = features;
	}

	@Override
	public Mono<UpstreamResponse> send(GatewayRequest request, String upstreamModel,
			org.springframework.http.HttpHeaders clientHeaders) {
		byte[] body = request.body().forwardBody(upstreamModel);
		Long clamped = RequestAdmission.clampedMaxTokens(request);
		return post(request, "/v1/messages", clientHeaders,
				(clamped != null) ? MaxTokensRewrite.apply(body, clamped) : body);
	}

	/**
	 * Sends a count_tokens request to the request's account.
	 * @param request the planned request
	 * @param upstreamModel the model to ask the account for
	 * @param clientHeaders the client's headers
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> countTokens(GatewayRequest request, String upstreamModel,
			org.springframework.http.HttpHeaders clientHeaders) {
		return post(request, "/v1/messages/count_tokens", clientHeaders, request.body().forwardBody(upstreamModel));
	}

	/**
	 * Anthropic's own errors are passed on as written, but for their {@code request_id}:
	 * clients match on their wording. See {@link UpstreamErrors}.
	 */
	@Override
	public UpstreamFailure failure(GatewayRequest request, UpstreamResponse response, byte[] body) {
		return UpstreamErrors.anthropic(request, response, body);
	}

	private Mono<UpstreamResponse> post(GatewayRequest request, String path,
			org.springframework.http.HttpHeaders clientHeaders, byte[] body) {
		if (request.firstSend()) {
			this.features.betas(request, clientHeaders, "anthropic");
		}
		String credential = request.account().credential().reveal();
		String query = request.query();
		String url = request.account().baseUrl() + path + ((query != null && !query.isEmpty()) ? "?" + query : "");
		return this.upstream.post(request.eventLoop(), url, (headers) -> {
			UpstreamHeaders.copyRequestHeaders(clientHeaders, headers, DEFAULT_VERSION);
			headers.set("x-api-key", credential);
			headers.set("content-type", "application/json");
			headers.set("accept", "application/json");
			request.observation().propagate(headers::set);
		}, body, this.properties.firstByteTimeout()).doOnNext((response) -> {
			String upstreamId = UpstreamHeaders.requestId(response.headers());
			request.upstreamRequestId(upstreamId);
			logger.debug("Request {}: account {} answered HTTP {} (upstream request {})", request.id(),
					request.account().name(), response.status(), upstreamId);
		});
	}

	@Override
	public Mono<ServerResponse> answer(GatewayRequest request, UpstreamResponse response) {
		if (request.body().stream() && isEventStream(response.headers())) {
			return stream(request, response);
		}
		return response.aggregate().flatMap((bytes) -> {
			byte[] body = rewriteWholeMessage(request, response.status(), bytes);
			this.accounting.finish(request, Outcome.OK, response.status());
			// the bytes are written as they are: no codec to look up for them
			return ServerResponse.status(response.status())
				.contentType(MediaType.APPLICATION_JSON)
				.headers((headers) -> headers.addAll(UpstreamHeaders.returnedHeaders(response.headers())))
				.contentLength(body.length)
				.body((message, context) -> message
					.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body))));
		}).doOnCancel(() -> this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499));
	}

	@Override
	public Mono<byte[]> capture(GatewayRequest request, UpstreamResponse response) {
		return response.aggregate().map((bytes) -> {
			tools.jackson.databind.JsonNode message = UpstreamErrors.jsonObject(bytes);
			if (message == null) {
				throw MalformedUpstreamAnswer.of(response.status(),
						(bytes.length == 0) ? "an empty body" : "a truncated or non-JSON body");
			}
			request.usage(AnthropicUsage.merge(message.get("usage"), request.usage()));
			return bytes;
		});
	}

	/**
	 * Passes on a successful count_tokens answer, once proved a JSON object.
	 * @param response the upstream response, body unread
	 * @return the client response
	 */
	public Mono<ServerResponse> counted(UpstreamResponse response) {
		return response.aggregate().flatMap((bytes) -> {
			if (UpstreamErrors.jsonObject(bytes) == null) {
				return Mono.error(MalformedUpstreamAnswer.of(response.status(),
						(bytes.length == 0) ? "an empty body" : "a truncated or non-JSON body"));
			}
			return ServerResponse.status(response.status())
				.contentType(MediaType.APPLICATION_JSON)
				.headers((headers) -> headers.addAll(UpstreamHeaders.returnedHeaders(response.headers())))
				.bodyValue(bytes);
		});
	}

	private Mono<ServerResponse> stream(GatewayRequest request, UpstreamResponse response) {
		AnthropicStreamRelay relay = new AnthropicStreamRelay(request);
		request.whenAnswered(() -> this.accounting.finish(request, Outcome.OK, 200));
		Flux<byte[]> events = response.body()
			.map(relay::onChunk)
			.concatWith(Mono.fromSupplier(() -> ended(relay)))
			.onErrorResume((ex) -> Mono.just(KeepAlive.failureEvent(ex)))
			.filter((bytes) -> bytes.length > 0)
			.transform((relayed) -> KeepAlive.withPings(relayed, this.properties.pingInterval()))
			.doFinally((signal) -> this.accounting.finish(request, outcome(signal, relay), 200));
		return EventStreamResponse.of(events, UpstreamHeaders.returnedHeaders(response.headers()));
	}

	private static byte[] ended(AnthropicStreamRelay relay) {
		byte[] tail = relay.onEnd();
		if (relay.stopped() || relay.failed()) {
			return tail;
		}
		byte[] error = AnthropicErrors.event("api_error", "The upstream stream ended before the message was complete");
		byte[] both = new byte[tail.length + error.length];
		System.arraycopy(tail, 0, both, 0, tail.length);
		System.arraycopy(error, 0, both, tail.length, error.length);
		return both;
	}

	private static Outcome outcome(SignalType signal, AnthropicStreamRelay relay) {
		if (signal == SignalType.CANCEL) {
			return Outcome.CLIENT_CANCELLED;
		}
		return (relay.stopped() && !relay.failed()) ? Outcome.OK : Outcome.UPSTREAM_ERROR;
	}

	/**
	 * Echoes the requested model in one streaming pass over the answer, which also proves
	 * it one complete JSON object; anything else fails the attempt before the first byte.
	 */
	private static byte[] rewriteWholeMessage(GatewayRequest request, int status, byte[] bytes) {
		AnthropicResponses.Echo echo;
		try {
			echo = AnthropicResponses.message(bytes, request.requestedModel(), request.usage());
		}
		catch (JacksonException ex) {
			throw MalformedUpstreamAnswer.of(status, "a truncated or non-JSON body");
		}
		if (echo == null) {
			throw MalformedUpstreamAnswer.of(status,
					(bytes.length == 0) ? "an empty body" : "a body that is not a JSON object");
		}
		request.usage(echo.usage());
		request.firstToken();
		return PlanningUsageDetails.add(request, echo.json());
	}

	private static boolean isEventStream(HttpHeaders headers) {
		String type = headers.get("content-type");
		return type != null && type.startsWith("text/event-stream");
	}

}
