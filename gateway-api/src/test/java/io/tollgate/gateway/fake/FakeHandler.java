package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.codec.http.HttpHeaders;
import io.tollgate.gateway.fake.RecordedRequest.Auth;
import io.tollgate.gateway.fake.Step.Delivery;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Serves one exchange: reads the body, records the request, picks the scripted step or
 * the default answer, and hands the delivery to {@link DeliveryWriter}, counting the
 * exchange as in flight until it ends.
 */
final class FakeHandler {

	private static final byte[] NO_BODY = new byte[0];

	final RequestLog log;

	final Map<String, Script> scripts = new ConcurrentHashMap<>();

	final Script anyCredential = new Script();

	final AtomicReference<Gate> hold = new AtomicReference<>();

	final Map<String, Pacing> paced = new ConcurrentHashMap<>();

	final AtomicInteger inFlight = new AtomicInteger();

	final AtomicInteger maxInFlight = new AtomicInteger();

	private final AtomicLong sequence = new AtomicLong();

	FakeHandler(RequestLog log) {
		this.log = log;
	}

	Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(NO_BODY)
			.flatMap((body) -> serve(request, response, body));
	}

	private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, byte[] body) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		Route route = Route.of(request.method().name(), (query < 0) ? uri : uri.substring(0, query));
		HttpHeaders headers = request.requestHeaders();
		String apiKey = headers.get("x-api-key");
		String bearer = bearer(headers.get("authorization"));
		String credential = (apiKey != null) ? apiKey : bearer;
		if (this.log.enabled()) {
			Auth auth = (apiKey != null) ? Auth.API_KEY : (bearer != null) ? Auth.BEARER : Auth.NONE;
			this.log.add(new RecordedRequest(request.method().name(), uri, copy(headers), body, credential, auth));
		}
		RequestBody parsed = (route.generates() || route == Route.COUNT_TOKENS) ? RequestBody.scan(body)
				: RequestBody.INVALID;
		Incoming incoming = new Incoming(route, credential, parsed, Incoming.inputTokensFor(body.length),
				this.sequence.incrementAndGet());
		Gate held = this.hold.get();
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		Pacing pacing = (credential != null && route.generates() && parsed.valid() && parsed.model() != null)
				? this.paced.get(credential) : null;
		if (pacing != null) {
			return pacing.write(response, pacing.answer(incoming))
				.doFinally((signal) -> this.inFlight.decrementAndGet());
		}
		return DeliveryWriter.write(response, resolve(incoming), held)
			.doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	private Delivery resolve(Incoming request) {
		if (request.credential() == null && request.route() != Route.ROOT) {
			return Delivery.of(DefaultAnswers.missingCredential(request));
		}
		Script script = (request.credential() != null) ? this.scripts.get(request.credential()) : null;
		Step step = (script != null) ? script.next() : null;
		if (step == null) {
			step = this.anyCredential.next();
		}
		return (step != null) ? step.deliver(request) : Delivery.of(DefaultAnswers.answer(request));
	}

	private static String bearer(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

	private static Map<String, List<String>> copy(HttpHeaders headers) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach(
				(entry) -> copy.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
					.add(entry.getValue()));
		copy.replaceAll((name, values) -> List.copyOf(values));
		return copy;
	}

}
