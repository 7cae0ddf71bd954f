package io.tollgate.gateway.messages;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.billing.admission.Admission;
import io.tollgate.billing.admission.AdmissionRefused;
import io.tollgate.billing.admission.AdmissionRequest;
import io.tollgate.billing.admission.Ticket;
import io.tollgate.gateway.edge.Cidr;
import io.tollgate.gateway.edge.ClientAddress;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.routing.convert.InputTokenBound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Admission before forwarding: the key's address allow-list here, then billing's
 * {@link Admission} (rate limits, spend windows, balance, quota, concurrency permits).
 * The permit is held by the request until {@link UsageAccounting} ends it. Refusals come
 * out in Anthropic's terms: 429 {@code rate_limit_error} with {@code retry-after} for
 * limits and spent windows, 402 {@code billing_error} for money, 403
 * {@code permission_error} for the address. The input bound reserved for is the
 * tokenizer's ({@link InputTokenBound}); a {@code max_tokens} the group's admission
 * policy clamped is what the forwarders send upstream ({@link #clampedMaxTokens}).
 */
@Component
public class RequestAdmission {

	private static final Logger logger = LoggerFactory.getLogger(RequestAdmission.class);

	/**
	 * The response header that names the {@code max_tokens} a clamped request was sent
	 * with.
	 */
	public static final String CLAMPED_HEADER = "x-tollgate-max-tokens-clamped";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Bodies up to this size are counted on the connection's thread. */
	private static final int INLINE_COUNT_LIMIT = 32 * 1024;

	private final Admission admission;

	private final ClientAddress clientAddress;

	private final AdmissionMetrics metrics;

	private final InputTokenBound inputBound = new InputTokenBound();

	private final Map<List<String>, List<Cidr>> allowLists = new ConcurrentHashMap<>();

	public RequestAdmission(Admission admission, ClientAddress clientAddress, AdmissionMetrics metrics) {
		this.admission = admission;
		this.clientAddress = clientAddress;
		this.metrics = metrics;
		// the first parse and count load what they need: at start, not on a request
		this.inputBound.of(JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"ready\"}]}"));
	}

	/**
	 * The checks that take nothing: the source address against the key's allow-list.
	 * @param request the request
	 * @param peer the connection's remote address
	 * @param headers the request headers
	 * @throws GatewayException 403 when the address is not allowed
	 */
	public void check(GatewayRequest request, InetSocketAddress peer, HttpHeaders headers) {
		List<String> allowed = request.grant().ipAllow();
		if (allowed.isEmpty()) {
			return;
		}
		byte[] address = this.clientAddress.of(peer, headers);
		if (address != null) {
			for (Cidr cidr : this.allowLists.computeIfAbsent(allowed, RequestAdmission::parse)) {
				if (cidr.contains(address)) {
					return;
				}
			}
		}
		request.observation().refused("address_not_allowed");
		throw GatewayException.permission("This API key may not be used from this address");
	}

	/**
	 * Admits a billed request: reserves its spend and takes its concurrency permits. When
	 * admission clamped the request's {@code max_tokens} to what is left, the response
	 * says so in {@value #CLAMPED_HEADER}.
	 * @param request the planned request
	 * @param responseHeaders the headers of the response to the client
	 * @return completion, or a {@link GatewayException} when refused
	 */
	public Mono<Void> admit(GatewayRequest request, HttpHeaders responseHeaders) {
		return admissionRequest(request).flatMap(this.admission::admit).doOnNext((ticket) -> {
			request.ticket(ticket);
			if (ticket.permit() != null) {
				request.hold(ticket.permit());
			}
			if (request.ended()) {
				// the client left while this was being decided
				ticket.cancel();
			}
			if (ticket.clamped()) {
				responseHeaders.set(CLAMPED_HEADER, Long.toString(ticket.maxTokens()));
				logger.debug("Request {}: max_tokens {} clamped to {} by the {} ({})", request.id(),
						request.body().maxTokens(), ticket.maxTokens(), ticket.limitedBy(), ticket.policy().id());
			}
			this.metrics.admitted(ticket);
		}).doOnError(AdmissionRefused.class, (refused) -> {
			request.observation().refused(refused.reason().name());
			this.metrics.refused(refused);
		})
			.onErrorMap(AdmissionRefused.class, RequestAdmission::translate)
			.then()
			.transform(request.observation()::admission);
	}

	/**
	 * The {@code max_tokens} to send upstream instead of the client's, when admission
	 * clamped it.
	 * @param request the admitted request
	 * @return the clamped {@code max_tokens}, or {@code null} to send the client's
	 */
	public static Long clampedMaxTokens(GatewayRequest request) {
		Ticket ticket = request.ticket();
		return (ticket != null && ticket.clamped()) ? ticket.maxTokens() : null;
	}

	/**
	 * Checks that a free request's payer is in good standing (window not spent, balance
	 * above the reserve, quota left), reserving nothing and taking no permit.
	 * @param request the planned request
	 * @return completion, or a {@link GatewayException} when refused
	 */
	public Mono<Void> checkPayable(GatewayRequest request) {
		return this.admission.check(admissionRequest(request, 0))
			.doOnError(AdmissionRefused.class, (refused) -> request.observation().refused(refused.reason().name()))
			.onErrorMap(AdmissionRefused.class, RequestAdmission::translate);
	}

	private static GatewayException translate(AdmissionRefused refused) {
		return switch (refused.reason()) {
			case RATE_LIMITED, CONCURRENCY, WINDOW_SPENT ->
				GatewayException.rateLimited(refused.getMessage(), refused.retryAfter());
			case NO_BALANCE, QUOTA_SPENT, NO_SUBSCRIPTION -> GatewayException.billing(refused.getMessage());
		};
	}

	/**
	 * The request as admission sees it, its input bound counted with the tokenizer: on
	 * the connection's thread for a small body, else off the event loop (the count is CPU
	 * work in proportion to the prompt) and back onto it after.
	 */
	private Mono<AdmissionRequest> admissionRequest(GatewayRequest request) {
		byte[] body = request.body().body();
		if (body.length <= INLINE_COUNT_LIMIT || request.eventLoop() == null) {
			return Mono.fromSupplier(() -> admissionRequest(request, this.inputBound.of(JSON.readTree(body))));
		}
		return Mono.fromSupplier(() -> admissionRequest(request, this.inputBound.of(JSON.readTree(body))))
			.subscribeOn(Schedulers.parallel())
			.publishOn(Schedulers.fromExecutor(request.eventLoop()));
	}

	private static AdmissionRequest admissionRequest(GatewayRequest request, long inputBound) {
		String model = (request.upstreamModel() != null) ? request.upstreamModel() : request.requestedModel();
		return new AdmissionRequest(request.grant(), request.group(), model, inputBound, request.body().maxTokens(),
				request.startedAt());
	}

	/** An entry that is not an address block matches nothing: the list fails closed. */
	private static List<Cidr> parse(List<String> blocks) {
		List<Cidr> parsed = new ArrayList<>(blocks.size());
		for (String block : blocks) {
			try {
				parsed.add(Cidr.parse(block));
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Ignoring an invalid address block in a key's allow-list: {}", ex.getMessage());
			}
		}
		return List.copyOf(parsed);
	}

}
