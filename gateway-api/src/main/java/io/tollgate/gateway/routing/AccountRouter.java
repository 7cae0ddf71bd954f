package io.tollgate.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.tollgate.billing.coordination.Bindings;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.gateway.config.GatewayProperties;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.routing.request.ScannedRequest;
import io.tollgate.routing.route.SessionKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Chooses among the accounts that serve a request's model: keeps those whose capabilities
 * fit the request (images, thinking) and that its {@code gateway} options allow
 * ({@code only}, {@code zdr}), finds the account its conversation is bound to, and hands
 * back a {@link Route} that tries them in order.
 */
@Component
@EnableConfigurationProperties(RoutingProperties.class)
public class AccountRouter {

	private static final Logger logger = LoggerFactory.getLogger(AccountRouter.class);

	/** Claude Code's session header, used when {@code metadata.user_id} names none. */
	public static final String SESSION_HEADER = "x-claude-code-session-id";

	private static final String STICKY = "sticky:";

	private final AccountHealthTracker health;

	private final Permits permits;

	private final Bindings bindings;

	private final RoutingProperties routing;

	private final GatewayProperties gateway;

	public AccountRouter(AccountHealthTracker health, Permits permits, Bindings bindings, RoutingProperties routing,
			GatewayProperties gateway) {
		this.health = health;
		this.permits = permits;
		this.bindings = bindings;
		this.routing = routing;
		this.gateway = gateway;
	}

	/**
	 * Routes a planned request.
	 * @param request the request
	 * @param planned the group's accounts that serve its model
	 * @param headers the client's headers
	 * @param takePermits whether attempts hold account concurrency permits (messages do,
	 * count_tokens does not)
	 * @return the route, once the conversation's binding was read
	 * @throws GatewayException 400 when no account fits the request's content or options
	 */
	public Mono<Route> route(GatewayRequest request, List<Candidate> planned, HttpHeaders headers,
			boolean takePermits) {
		ScannedRequest body = request.body();
		List<Candidate> eligible = capable(body, planned);
		Options options = Options.of(body.gateway());
		eligible = options.filter(eligible);
		List<Long> preferred = options.preferred(eligible);
		if (eligible.size() == 1) {
			// one account: nothing to choose, no binding to read or write
			return Mono.just(new Route(this, request, eligible, preferred, takePermits, null, null));
		}
		String session = SessionKeys.derive(body.metadataUserId(), headers.getFirst(SESSION_HEADER),
				request.grant().keyId(), (body.opening() != null) ? body.slice(body.opening()) : null);
		if (session == null) {
			return Mono.just(new Route(this, request, eligible, preferred, takePermits, null, null));
		}
		String key = STICKY + request.group().id() + ":" + session;
		List<Candidate> routed = eligible;
		return this.bindings.get(key, request.group().stickyTtl())
			.mapNotNull(AccountRouter::parseId)
			.map((id) -> new Route(this, request, routed, preferred, takePermits, key, id))
			.onErrorResume((ex) -> {
				logger.warn("Reading a sticky binding failed: {}", ex.toString());
				return Mono.empty();
			})
			.switchIfEmpty(
					Mono.fromSupplier(() -> new Route(this, request, routed, preferred, takePermits, key, null)));
	}

	private static List<Candidate> capable(ScannedRequest body, List<Candidate> planned) {
		if (!body.thinking() && !body.images()) {
			return planned;
		}
		List<Candidate> capable = new ArrayList<>(planned.size());
		for (Candidate candidate : planned) {
			AccountView account = candidate.account();
			if ((!body.thinking() || account.supportsThinking()) && (!body.images() || account.supportsImages())) {
				capable.add(candidate);
			}
		}
		if (capable.isEmpty()) {
			String what = (body.thinking() && body.images()) ? "extended thinking with images"
					: body.thinking() ? "extended thinking" : "image input";
			throw GatewayException.invalidRequest(
					"No upstream account of this group that serves model " + body.model() + " supports " + what);
		}
		return capable;
	}

	private static Long parseId(String value) {
		try {
			return Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	void bind(String key, AccountView account, Duration ttl) {
		this.bindings.put(key, Long.toString(account.id()), ttl)
			.subscribe(null, (ex) -> logger.warn("Writing a sticky binding failed: {}", ex.toString()));
	}

	int priority(GatewayRequest request, AccountView account) {
		GroupView.Member member = member(request, account);
		return (member != null) ? member.priority() : account.priority();
	}

	int weight(GatewayRequest request, AccountView account) {
		GroupView.Member member = member(request, account);
		return (member != null) ? member.weight() : account.weight();
	}

	private static GroupView.Member member(GatewayRequest request, AccountView account) {
		for (GroupView.Member member : request.group().members()) {
			if (member.account().id() == account.id()) {
				return member;
			}
		}
		return null;
	}

	AccountHealthTracker health() {
		return this.health;
	}

	Permits permits() {
		return this.permits;
	}

	RoutingProperties routing() {
		return this.routing;
	}

	int maxAttempts() {
		return this.gateway.maxAttempts();
	}

	/**
	 * The request's {@code gateway} object: {@code only} (account names or platform
	 * names), {@code order} (account names to try first, in order), {@code zdr}.
	 */
	record Options(Set<String> only, List<String> order, boolean zdr) {

		static final Options NONE = new Options(Set.of(), List.of(), false);

		static Options of(JsonNode gateway) {
			if (gateway == null || !gateway.isObject()) {
				return NONE;
			}
			JsonNode zdr = gateway.get("zdr");
			if (zdr != null && !zdr.isBoolean() && !zdr.isNull()) {
				throw GatewayException.invalidRequest("gateway.zdr: Input should be a valid boolean");
			}
			return new Options(new TreeSet<>(names(gateway, "only")), names(gateway, "order"),
					zdr != null && zdr.asBoolean());
		}

		private static List<String> names(JsonNode gateway, String field) {
			JsonNode node = gateway.get(field);
			if (node == null || node.isNull()) {
				return List.of();
			}
			if (node.isString()) {
				return List.of(node.asString());
			}
			if (!node.isArray()) {
				throw GatewayException.invalidRequest("gateway." + field + ": Input should be a valid list");
			}
			if (node.isEmpty() && field.equals("only")) {
				// an empty allow-list allows nothing; it is not "no restriction"
				throw GatewayException.invalidRequest("gateway.only: List should have at least 1 item");
			}
			List<String> names = new ArrayList<>();
			for (JsonNode element : node) {
				if (!element.isString()) {
					throw GatewayException.invalidRequest("gateway." + field + ": Input should be a list of strings");
				}
				names.add(element.asString());
			}
			return names;
		}

		List<Candidate> filter(List<Candidate> candidates) {
			if (this.only.isEmpty() && !this.zdr) {
				return candidates;
			}
			List<Candidate> allowed = new ArrayList<>(candidates.size());
			for (Candidate candidate : candidates) {
				AccountView account = candidate.account();
				boolean named = this.only.isEmpty() || this.only.contains(account.name())
						|| this.only.contains(account.platform().id());
				if (named && (!this.zdr || account.zdr())) {
					allowed.add(candidate);
				}
			}
			if (allowed.isEmpty()) {
				throw GatewayException.invalidRequest(this.zdr && this.only.isEmpty()
						? "gateway.zdr: no zero-data-retention account of this group serves this model"
						: "gateway: no account of this group allowed by only" + (this.zdr ? " and zdr" : "")
								+ " serves this model");
			}
			return allowed;
		}

		List<Long> preferred(List<Candidate> candidates) {
			if (this.order.isEmpty()) {
				return List.of();
			}
			List<Long> ids = new ArrayList<>(this.order.size());
			for (String name : this.order) {
				for (Candidate candidate : candidates) {
					AccountView account = candidate.account();
					if ((name.equals(account.name()) || name.equals(account.platform().id()))
							&& !ids.contains(account.id())) {
						ids.add(account.id());
					}
				}
			}
			return ids;
		}

	}

}
