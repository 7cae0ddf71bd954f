package io.tollgate.gateway.messages;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.billing.admission.Admission;
import io.tollgate.billing.admission.AdmissionRefused;
import io.tollgate.billing.admission.AdmissionRequest;
import io.tollgate.gateway.edge.Cidr;
import io.tollgate.gateway.edge.ClientAddress;
import io.tollgate.gateway.error.GatewayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Admission before forwarding: the key's address allow-list here, then billing's
 * {@link Admission} (rate limits, spend windows, balance, quota, concurrency permits).
 * The permit is held by the request until {@link UsageAccounting} ends it. Refusals come
 * out in Anthropic's terms: 429 {@code rate_limit_error} with {@code retry-after} for
 * limits and spent windows, 402 {@code billing_error} for money, 403
 * {@code permission_error} for the address.
 */
@Component
public class RequestAdmission {

	private static final Logger logger = LoggerFactory.getLogger(RequestAdmission.class);

	private final Admission admission;

	private final ClientAddress clientAddress;

	private final Map<List<String>, List<Cidr>> allowLists = new ConcurrentHashMap<>();

	public RequestAdmission(Admission admission, ClientAddress clientAddress) {
		this.admission = admission;
		this.clientAddress = clientAddress;
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
	 * Admits a billed request: reserves its spend and takes its concurrency permits.
	 * @param request the planned request
	 * @return completion, or a {@link GatewayException} when refused
	 */
	public Mono<Void> admit(GatewayRequest request) {
		return this.admission.admit(admissionRequest(request)).doOnNext((ticket) -> {
			request.ticket(ticket);
			if (ticket.permit() != null) {
				request.hold(ticket.permit());
			}
			if (request.ended()) {
				// the client left while this was being decided
				ticket.cancel();
			}
		})
			.doOnError(AdmissionRefused.class, (refused) -> request.observation().refused(refused.reason().name()))
			.onErrorMap(AdmissionRefused.class, RequestAdmission::translate)
			.then()
			.transform(request.observation()::admission);
	}

	/**
	 * Checks that a free request's payer is in good standing (window not spent, balance
	 * above the reserve, quota left), reserving nothing and taking no permit.
	 * @param request the planned request
	 * @return completion, or a {@link GatewayException} when refused
	 */
	public Mono<Void> checkPayable(GatewayRequest request) {
		return this.admission.check(admissionRequest(request))
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

	private static AdmissionRequest admissionRequest(GatewayRequest request) {
		String model = (request.upstreamModel() != null) ? request.upstreamModel() : request.requestedModel();
		return new AdmissionRequest(request.grant(), request.group(), model,
				AdmissionRequest.inputBound(request.body().body().length), request.body().maxTokens(),
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
