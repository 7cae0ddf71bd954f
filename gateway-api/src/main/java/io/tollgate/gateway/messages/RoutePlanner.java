package io.tollgate.gateway.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.routing.mapping.ModelMapper;
import io.tollgate.routing.mapping.ModelPatterns;
import io.tollgate.routing.request.RequestStrings;

import org.springframework.stereotype.Component;

/**
 * Decides where a request may go: maps the model through the group, checks the key may
 * use it and that it has a price, and lists the group's accounts that can serve it, in
 * the order to try them.
 */
@Component
public class RoutePlanner {

	private static final String MAPPED = "model (as mapped by the group)";

	private final Directory directory;

	private final Map<Map<String, String>, ModelMapper> mappers = new ConcurrentHashMap<>();

	public RoutePlanner(Directory directory) {
		this.directory = directory;
	}

	/**
	 * Plans a request whose body has been read.
	 * @param request the request
	 * @return the candidates, best first, never empty
	 */
	public List<Candidate> plan(GatewayRequest request) {
		return plan(request, true);
	}

	/**
	 * Plans a request whose body has been read, as the model it is routed as.
	 * @param request the request
	 * @param keyMustAllow whether the key's allowed models apply (not to the router model
	 * its group chose)
	 * @return the candidates, best first, never empty
	 */
	public List<Candidate> plan(GatewayRequest request, boolean keyMustAllow) {
		String requested = request.routedModel();
		if (keyMustAllow && !ModelPatterns.anyMatches(request.grant().allowedModels(), requested)) {
			throw GatewayException.permission("model: " + requested + " is not allowed for this API key");
		}
		GroupView group = request.group();
		String upstreamModel = mapper(group.modelMapping()).map(requested)
			.orElseThrow(() -> GatewayException.notFound("model: " + requested));
		// a glob target carries the matched part: what it makes is stored and forwarded
		// too
		RequestStrings.model(MAPPED, upstreamModel);
		request.upstreamModel(upstreamModel);
		if (this.directory.prices().priceOf(upstreamModel, Instant.now()).isEmpty()) {
			throw GatewayException.permission(
					"model: " + requested + " is not available: no price is configured for it. Ask the operator.");
		}
		List<Candidate> candidates = new ArrayList<>(group.members().size());
		for (GroupView.Member member : group.members()) {
			AccountView account = member.account();
			if (account.active() && ModelPatterns.anyMatches(account.models(), upstreamModel)) {
				mapper(account.modelMapping()).map(upstreamModel)
					.ifPresent((model) -> candidates.add(new Candidate(account, RequestStrings.model(MAPPED, model))));
			}
		}
		if (candidates.isEmpty()) {
			throw GatewayException.notFound("model: " + requested + " is not served by any account of this group");
		}
		return candidates;
	}

	private ModelMapper mapper(Map<String, String> rules) {
		return rules.isEmpty() ? ModelMapper.of(rules) : this.mappers.computeIfAbsent(rules, ModelMapper::of);
	}

	/**
	 * An account that may serve the request, and the model to ask it for.
	 *
	 * @param account the account
	 * @param model the model name the account should receive
	 */
	public record Candidate(AccountView account, String model) {
	}

}
