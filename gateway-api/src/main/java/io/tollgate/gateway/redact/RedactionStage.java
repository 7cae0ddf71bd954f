package io.tollgate.gateway.redact;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.RedactionPolicies;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.directory.RedactionPolicy.Mode;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.routing.redact.PiiType;
import io.tollgate.routing.redact.RedactionTally;
import io.tollgate.routing.redact.Redactor;
import io.tollgate.routing.redact.RequestRedaction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Masks PII in what the model will see, before the request is routed: the operator's
 * policy first (the group's, or the key's own), then the request's {@code gateway.redact}
 * within it. Requests that ask for nothing under a policy that enforces nothing pass
 * untouched, byte for byte.
 */
@Component
public class RedactionStage {

	/** Response header listing what was masked, e.g. {@code email=2,secret=1}. */
	public static final String HEADER = "x-tollgate-redactions";

	/** Bodies above this size are masked off the event loop. */
	private static final int INLINE_LIMIT = 64 * 1024;

	private static final Redactor NOTHING_TO_MASK = Redactor.of(Set.of(), List.of());

	private final Directory directory;

	private final MeterRegistry meters;

	private final Map<PiiType, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Redactors of policies alone (no custom terms from a request), by their settings.
	 */
	private final Map<List<Object>, Redactor> redactors = new ConcurrentHashMap<>();

	public RedactionStage(Directory directory, MeterRegistry meters) {
		this.directory = directory;
		this.meters = meters;
	}

	/**
	 * Decides what to mask for a request.
	 * @param groupId the key's group
	 * @param keyId the key
	 * @param gateway the request's {@code gateway} object, or {@code null}
	 * @return the redactor, empty when nothing is to be masked
	 * @throws GatewayException 400 when {@code gateway.redact} is malformed
	 */
	public Redactor redactorFor(long groupId, long keyId, tools.jackson.databind.JsonNode gateway) {
		RequestedRedaction requested = RequestedRedaction.of(gateway);
		RedactionPolicies policies = this.directory.snapshot().redaction();
		RedactionPolicy group = policies.forGroup(groupId);
		RedactionPolicy key = policies.forKey(keyId);
		if (requested == RequestedRedaction.NOTHING && group.mode() != Mode.ENFORCED
				&& (key == null || key.mode() != Mode.ENFORCED)) {
			// the common case, decided without building anything
			return NOTHING_TO_MASK;
		}
		Mode mode = (key != null) ? key.mode() : group.mode();
		Set<PiiType> entities = EnumSet.noneOf(PiiType.class);
		Set<String> custom = new LinkedHashSet<>();
		// a key's own policy never weakens what its group enforces
		for (RedactionPolicy policy : (key != null) ? List.of(group, key) : List.of(group)) {
			if (policy.mode() == Mode.ENFORCED) {
				policy.entities().forEach((name) -> PiiType.fromWireName(name).ifPresent(entities::add));
				custom.addAll(policy.custom());
			}
		}
		if (mode != Mode.OFF && requested != RequestedRedaction.NOTHING) {
			entities.addAll(requested.entities());
			if (!requested.custom().isEmpty()) {
				custom.addAll(requested.custom());
				return build(entities, new ArrayList<>(custom), true);
			}
		}
		return build(entities, new ArrayList<>(custom), false);
	}

	private Redactor build(Set<PiiType> entities, List<String> custom, boolean fromRequest) {
		try {
			if (fromRequest) {
				return Redactor.of(entities, custom);
			}
			return this.redactors.computeIfAbsent(List.of(entities, custom), (settings) -> {
				if (this.redactors.size() > 1024) {
					this.redactors.clear();
				}
				return Redactor.of(entities, custom);
			});
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidRequest("gateway.redact.custom: " + ex.getMessage());
		}
	}

	/**
	 * Masks a request body.
	 * @param body the body
	 * @param redactor what to mask
	 * @return the masked body and tally; large bodies are masked on a worker thread
	 */
	public Mono<RequestRedaction.Result> redact(byte[] body, Redactor redactor) {
		if (redactor.isEmpty()) {
			return Mono.just(new RequestRedaction.Result(body, new RedactionTally()));
		}
		Mono<RequestRedaction.Result> work = Mono.fromSupplier(() -> count(RequestRedaction.redact(body, redactor)));
		return (body.length > INLINE_LIMIT) ? work.subscribeOn(Schedulers.parallel()) : work;
	}

	private RequestRedaction.Result count(RequestRedaction.Result result) {
		result.tally()
			.counts()
			.forEach((type, count) -> this.counters
				.computeIfAbsent(type,
						(t) -> Counter.builder("tollgate.redactions")
							.description("Values masked in requests by PII redaction")
							.tag("entity", t.wireName())
							.register(this.meters))
				.increment(count));
		return result;
	}

}
