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
import io.tollgate.routing.convert.StreamConverter;
import io.tollgate.routing.convert.UpstreamErrorException;
import io.tollgate.routing.usage.AnthropicUsage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
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

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final UpstreamClient upstream;

	private final GatewayProperties properties;

	private final UsageAccounting accounting;

	private final RequestConverter requests = new RequestConverter();

	private final ResponseConverter responses = new ResponseConverter();

	private final ErrorConverter errors = new ErrorConverter();

	private final Map<Map<String, Object>, OpenAiQuirks> quirks = new ConcurrentHashMap<>();

	public OpenAiForwarder(UpstreamClient upstream, GatewayProperties properties, UsageAccounting accounting) {
		this.upstream = upstream;
		this.properties = properties;
		this.accounting = accounting;
	}

	@Override
	public Mono<UpstreamResponse> send(GatewayRequest request, String upstreamModel, HttpHeaders clientHeaders) {
		ConvertedRequest converted;
		try {
			ObjectNode anthropic = (ObjectNode) JSON.readTree(request.body().body());
			Long clamped = RequestAdmission.clampedMaxTokens(request);
			if (clamped != null) {
				anthropic.put("max_tokens", clamped);
			}
			converted = this.requests.toOpenAi(anthropic, upstreamModel, quirksOf(request));
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
		}, body, this.properties.firstByteTimeout());
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
				message = this.responses.toAnthropic(JSON.readTree(bytes), context);
			}
			catch (UpstreamErrorException ex) {
				UpstreamFailure failure = failure(request, ex.error());
				this.accounting.finish(request, Outcome.UPSTREAM_ERROR, failure.status());
				return failure.toResponse();
			}
			request.usage(AnthropicUsage.merge(message.get("usage"), request.usage()));
			request.firstToken();
			this.accounting.finish(request, Outcome.OK, 200);
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(JSON.writeValueAsBytes(message));
		}).doOnCancel(() -> this.accounting.finish(request, Outcome.CLIENT_CANCELLED, 499));
	}

	@Override
	public UpstreamFailure failure(GatewayRequest request, UpstreamResponse response, byte[] body) {
		Map<String, String> headers = new HashMap<>();
		response.headers().forEach((entry) -> headers.put(entry.getKey().toLowerCase(), entry.getValue()));
		return failure(request,
				this.errors.fromOpenAi(response.status(), new String(body, StandardCharsets.UTF_8), headers));
	}

	private UpstreamFailure failure(GatewayRequest request, AnthropicError error) {
		return new UpstreamFailure(error.status(), "application/json", error.retryAfter(),
				error.toJson(request.id()).getBytes(StandardCharsets.UTF_8));
	}

	private Mono<ServerResponse> stream(GatewayRequest request, UpstreamResponse response, ConversionContext context) {
		OpenAiStreamRelay relay = new OpenAiStreamRelay(request, new StreamConverter(context));
		request.whenAnswered(() -> this.accounting.finish(request, Outcome.OK, 200));
		Flux<byte[]> events = response.body()
			.map(relay::onChunk)
			.concatWith(Mono.fromSupplier(relay::onEnd))
			.onErrorResume((ex) -> Mono.just(relay.onFailure(ex)))
			.filter((bytes) -> bytes.length > 0)
			.transform((relayed) -> KeepAlive.withPings(relayed, this.properties.pingInterval()))
			.doFinally((signal) -> this.accounting.finish(request,
					(signal == SignalType.CANCEL) ? Outcome.CLIENT_CANCELLED : relay.outcome(), 200));
		return EventStreamResponse.of(events);
	}

	private OpenAiQuirks quirksOf(GatewayRequest request) {
		return this.quirks.computeIfAbsent(request.account().quirks(), OpenAiQuirks::fromSettings);
	}

}
