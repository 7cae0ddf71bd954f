package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RequestAdmission;
import io.tollgate.gateway.messages.UsageAccounting;
import io.tollgate.routing.convert.AnthropicError;
import io.tollgate.routing.convert.ConversionContext;
import io.tollgate.routing.convert.ConversionException;
import io.tollgate.routing.convert.ConvertedRequest;
import io.tollgate.routing.convert.ErrorConverter;
import io.tollgate.routing.convert.OpenAiQuirks;
import io.tollgate.routing.convert.RequestConverter;
import io.tollgate.routing.convert.ResponseConverter;
import io.tollgate.routing.convert.UpstreamErrorException;
import io.tollgate.routing.usage.AnthropicUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Forwards to OpenAI-compatible accounts: converts the Messages request to Chat
 * Completions, and the answer or the stream back to Anthropic's protocol as it arrives.
 * The account's quirks are configuration.
 */
@Component
public class OpenAiForwarder implements Forwarder {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiForwarder.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final UpstreamClient upstream;

	private final GatewayProperties properties;

	private final UsageAccounting accounting;

	private final RequestFeatureMetrics features;

	private final RequestConverter requests = new RequestConverter();

	private final ResponseConverter responses = new ResponseConverter();

	private final ErrorConverter errors = new ErrorConverter();

	private final Map<Map<String, Object>, OpenAiQuirks> quirks = new ConcurrentHashMap<>();

	public OpenAiForwarder(UpstreamClient upstream, GatewayProperties properties, UsageAccounting accounting,
			RequestFeatureMetrics features) {
		this.upstream = upstream;
		this.properties = properties;
		this.accounting = accounting;
		this.features = features;
	}

	@Override
	public Mono<UpstreamResponse> send(GatewayRequest request, String upstreamModel, HttpHeaders clientHeaders) {
		ConvertedRequest converted;
		try {
			ObjectNode anthropic = (ObjectNode) JSON.readTree(request.body().body());
			OpenAiQuirks quirks = quirksOf(request);
			if (request.firstSend()) {
				this.features.betas(request, clientHeaders, "openai");
				this.features.dropped(anthropic, quirks.acceptsTopK());
			}
			Long clamped = RequestAdmission.clampedMaxTokens(request);
			if (clamped != null) {
				anthropic.put("max_tokens", clamped);
			}
			converted = this.requests.toOpenAi(anthropic, upstreamModel, quirks);
		}
		catch (ConversionException ex) {
			return Mono.error(GatewayException.invalidRequest(ex.getMessage()));
		}
		request.conversion(converted.context());
		byte[] body = JSON.writeValueAsBytes(converted.body());
		String credential = request.account().credential().reveal();
		return this.upstream.post(request.eventLoop(), request.account().baseUrl() + "/chat/completions", (headers) -> {
			headers.set("authorization", "Bearer " + credential);
			headers.set("content-type", "application/json");
			headers.set("accept", request.body().stream() ? "text/event-stream" : "application/json");
			request.observation().propagate(headers::set);
		}, body, this.properties.firstByteTimeout())
			.doOnNext((response) -> request.upstreamRequestId(UpstreamHeaders.requestId(response.headers())));
	}

	@Override
	public Mono<ServerResponse> answer(GatewayRequest request, UpstreamResponse response) {
		ConversionContext context = request.conversion();
		if (request.body().stream()) {
			return stream(request, response, context);
		}
		return response.aggregate().flatMap((bytes) -> {
			ObjectNode message;
			try {
				message = this.responses.toAnthropic(completion(response.status(), bytes), context);
			}
			catch (UpstreamErrorException ex) {
				UpstreamFailure failure = failure(request, ex.error());
				this.accounting.finish(request, Outcome.UPSTREAM_ERROR, failure.status());
				return failure.toResponse();
			}
			request.usage(AnthropicUsage.merge(message.get("usage"), request.usage()));
			PlanningUsageDetails.add(request, message);
			request.firstToken();
			this.accounting.finish(request, Outcome.OK, 200);
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(JSON.writeValueAsBytes(message));
		}).doOnCancel(() -> this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499));
	}

	@Override
	public Mono<byte[]> capture(GatewayRequest request, UpstreamResponse response) {
		return response.aggregate().map((bytes) -> {
			ObjectNode message = this.responses.toAnthropic(completion(response.status(), bytes), request.conversion());
			request.usage(AnthropicUsage.merge(message.get("usage"), request.usage()));
			return JSON.writeValueAsBytes(message);
		});
	}

	/**
	 * A whole completion, proved one JSON object before it is converted: anything else
	 * fails the attempt before the first byte.
	 */
	private static JsonNode completion(int status, byte[] bytes) {
		JsonNode completion = UpstreamErrors.jsonObject(bytes);
		if (completion == null) {
			throw MalformedUpstreamAnswer.of(status,
					(bytes.length == 0) ? "an empty body" : "a truncated or non-JSON body");
		}
		return completion;
	}

	@Override
	public UpstreamFailure failure(GatewayRequest request, UpstreamResponse response, byte[] body) {
		UpstreamFailure common = UpstreamErrors.common(request, response, body);
		if (common != null) {
			return common;
		}
		Map<String, String> headers = new HashMap<>();
		response.headers().forEach((entry) -> headers.put(entry.getKey().toLowerCase(), entry.getValue()));
		return failure(request,
				this.errors.fromOpenAi(response.status(), new String(body, StandardCharsets.UTF_8), headers),
				response.status());
	}

	private UpstreamFailure failure(GatewayRequest request, AnthropicError error) {
		return failure(request, error, 0);
	}

	private UpstreamFailure failure(GatewayRequest request, AnthropicError error, int upstreamStatus) {
		HttpHeaders headers = new HttpHeaders();
		if (error.retryAfter() != null) {
			headers.set("retry-after", error.retryAfter());
		}
		return UpstreamFailure.answered(error.status(), (upstreamStatus != 0) ? upstreamStatus : error.status(),
				headers, error.toJson(request.id()).getBytes(StandardCharsets.UTF_8), null);
	}

	private Mono<ServerResponse> stream(GatewayRequest request, UpstreamResponse response, ConversionContext context) {
		OpenAiStreamRelay relay = new OpenAiStreamRelay(request, context);
		request.whenAnswered(() -> this.accounting.finish(request, Outcome.OK, 200));
		if (isJson(response.header("content-type"))) {
			logger.debug("Request {}: the upstream answered a stream request with JSON", request.id());
			return response.aggregate()
				.flatMap((bytes) -> completionAsStream(request, relay, bytes))
				.doOnCancel(() -> this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499));
		}
		Flux<byte[]> events = response.body()
			.map(relay::onChunk)
			.concatWith(Mono.fromSupplier(relay::onEnd))
			.onErrorResume((ex) -> (ex instanceof UpstreamErrorException upstreamError)
					? Mono.error(answeredWithError(request, upstreamError)) : Mono.just(relay.onFailure(ex)))
			.filter((bytes) -> bytes.length > 0)
			.transform((relayed) -> KeepAlive.withPings(relayed, this.properties.pingInterval()))
			.doFinally((signal) -> this.accounting.finish(request,
					(signal == SignalType.CANCEL) ? Outcome.CLIENT_CANCELLED : relay.outcome(), 200));
		return EventStreamResponse.of(events);
	}

	/**
	 * A streaming request the upstream answered with one JSON body: a completion becomes
	 * a well-formed stream; an error object is answered as an HTTP error in the Anthropic
	 * envelope with the upstream's message, since nothing has been sent yet (C50).
	 */
	private Mono<ServerResponse> completionAsStream(GatewayRequest request, OpenAiStreamRelay relay, byte[] body) {
		byte[] events;
		try {
			events = relay.completion(body);
		}
		catch (UpstreamErrorException ex) {
			UpstreamFailure failure = failure(request, ex.error());
			this.accounting.finish(request, Outcome.UPSTREAM_ERROR, failure.status());
			return failure.toResponse();
		}
		return EventStreamResponse.of(Flux.just(events));
	}

	/**
	 * The error for an upstream whose JSON answer to a stream request turned out to be an
	 * error once it ended: the stream has sent nothing, so the client gets it as an HTTP
	 * error.
	 */
	private GatewayException answeredWithError(GatewayRequest request, UpstreamErrorException ex) {
		AnthropicError error = ex.error();
		this.accounting.finish(request, Outcome.UPSTREAM_ERROR, error.status());
		return GatewayException.of(error.status(), error.type(), error.message());
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(java.util.Locale.ROOT);
		return type.startsWith("application/json") || type.contains("+json");
	}

	private OpenAiQuirks quirksOf(GatewayRequest request) {
		return this.quirks.computeIfAbsent(request.account().quirks(), OpenAiQuirks::fromSettings);
	}

}
