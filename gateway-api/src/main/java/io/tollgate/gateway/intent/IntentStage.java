package io.tollgate.gateway.intent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.IntentReport;
import io.tollgate.gateway.messages.RoutePlanner;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.routing.convert.TokenEstimator;
import io.tollgate.routing.intent.ContextPruner;
import io.tollgate.routing.intent.IntentOptions;
import io.tollgate.routing.intent.PlannedModel;
import io.tollgate.routing.intent.Planning;
import io.tollgate.routing.intent.RequestDigest;
import io.tollgate.routing.intent.RouterPrompt;
import io.tollgate.routing.intent.RouterVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Intent routing, planning and context optimisation, between admission and routing. The
 * group decides (no router model: none of it), the request's {@code gateway} options and
 * the group's defaults ask. The router model is asked once, through Tollgate's own
 * forwarding, which tag the last user turn matches, how complex it is and what of the
 * context it needs; the request is then routed to the tag's model for that complexity,
 * given the planner's plan, and pruned. Whatever fails or takes too long, the request
 * goes on as it was asked. A request that asks for none of it is not looked at.
 */
@Component
@EnableConfigurationProperties(IntentProperties.class)
public class IntentStage {

	/** The tag the router matched. */
	public static final String TAG_HEADER = "x-tollgate-intent-tag";

	/** The model the request was routed to. */
	public static final String MODEL_HEADER = "x-tollgate-routed-model";

	/**
	 * How the decision ended ({@code routed}, {@code classified}, {@code fallback_*}).
	 */
	public static final String OUTCOME_HEADER = "x-tollgate-intent";

	/** Input tokens the context optimisations removed, estimated. */
	public static final String SAVED_HEADER = "x-tollgate-context-tokens-saved";

	private static final Logger logger = LoggerFactory.getLogger(IntentStage.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final IntentPolicy policy;

	private final InternalCalls calls;

	private final RoutePlanner planner;

	private final IntentProperties properties;

	private final MeterRegistry meters;

	private final TokenEstimator estimator = new TokenEstimator();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	public IntentStage(IntentPolicy policy, InternalCalls calls, RoutePlanner planner, IntentProperties properties,
			MeterRegistry meters) {
		this.policy = policy;
		this.calls = calls;
		this.planner = planner;
		this.properties = properties;
		this.meters = meters;
	}

	/**
	 * Reads what a request asks for, before it is planned: a model written
	 * {@code executor:planning:planner} is routed as its executor.
	 * @param request the request, body read
	 * @return the request
	 * @throws GatewayException 400 when the options are malformed or the group has no
	 * router model; 403 when the key may not use the planner
	 */
	public GatewayRequest prepare(GatewayRequest request) {
		return this.policy.prepare(request);
	}

	/**
	 * Decides and rewrites a prepared, admitted request; does nothing for one that asked
	 * for nothing.
	 * @param request the request
	 * @param candidates the accounts it was planned with
	 * @param responseHeaders where the decision is reported
	 * @return the accounts to route it to
	 */
	public Mono<List<Candidate>> apply(GatewayRequest request, List<Candidate> candidates,
			HttpHeaders responseHeaders) {
		IntentReport report = request.intent();
		if (report == null) {
			return Mono.just(candidates);
		}
		IntentOptions options = report.options();
		PlannedModel planned = report.planned();
		ObjectNode tree = (ObjectNode) JSON.readTree(request.body().body());
		RequestDigest digest = RequestDigest.of(tree);
		boolean needsRouter = !options.tags().isEmpty() || options.optimisesContext()
				|| (planned != null && options.planningTriggerScore() != null);
		Mono<Optional<RouterVerdict>> verdict = needsRouter ? classify(request, report, digest)
				: Mono.just(Optional.empty());
		return verdict.flatMap((decided) -> {
			List<Candidate> routed = route(request, report, decided, candidates);
			boolean changed = decided.isPresent() && options.optimisesContext()
					&& prune(request, report, tree, decided.get());
			boolean plan = planned != null && (options.planningTriggerScore() == null
					|| decided.map((v) -> v.complexity() >= options.planningTriggerScore()).orElse(false));
			Mono<Boolean> planning = plan ? plan(request, report, planned, digest, tree) : Mono.just(false);
			return planning.map((withPlan) -> {
				if (changed || withPlan) {
					request.rewriteBody(JSON.writeValueAsBytes(tree));
				}
				report(report, responseHeaders);
				return routed;
			});
		});
	}

	private Mono<Optional<RouterVerdict>> classify(GatewayRequest request, IntentReport report, RequestDigest digest) {
		String routerModel = request.group().routerModel();
		byte[] prompt = RouterPrompt.request(routerModel, report.options(), digest);
		return this.calls.call(request, "router", prompt, false, this.properties.routerTimeout()).map((answer) -> {
			report.planningCall(answer.usage(), answer.cost());
			Optional<RouterVerdict> verdict = RouterVerdict.parse(answer.message(), report.options());
			if (verdict.isEmpty()) {
				fallback(request, report, "fallback_invalid", "its answer held no usable classification");
			}
			return verdict;
		}).onErrorResume((ex) -> {
			boolean timeout = ex instanceof TimeoutException;
			fallback(request, report, timeout ? "fallback_timeout" : "fallback_error",
					timeout ? "no answer within " + this.properties.routerTimeout() : ex.getMessage());
			return Mono.just(Optional.empty());
		});
	}

	private void fallback(GatewayRequest request, IntentReport report, String outcome, String why) {
		report.decided(outcome, null, null);
		logger.info("Request {}: intent_outcome={} router_model={}: {}; going on as {}", request.id(), outcome,
				request.group().routerModel(), why, request.routedModel());
	}

	/** Routes to the tag's model for the complexity, when it can be served. */
	private List<Candidate> route(GatewayRequest request, IntentReport report, Optional<RouterVerdict> decided,
			List<Candidate> candidates) {
		if (decided.isEmpty()) {
			return candidates;
		}
		RouterVerdict verdict = decided.get();
		if (verdict.tag() == null) {
			report.decided("classified", null, null);
			return candidates;
		}
		String asked = request.routedModel();
		String model = verdict.tag().modelFor(verdict.complexity());
		if (model.equals(asked)) {
			report.decided("routed", verdict.tag().name(), model);
			return candidates;
		}
		String upstream = request.upstreamModel();
		request.routedModel(model);
		try {
			List<Candidate> routed = this.planner.plan(request);
			report.decided("routed", verdict.tag().name(), model);
			return routed;
		}
		catch (GatewayException ex) {
			request.routedModel(asked);
			this.planner.plan(request);
			report.decided("fallback_unservable", verdict.tag().name(), null);
			logger.info("Request {}: intent_outcome=fallback_unservable tag={} model={}: {}; going on as {} ({})",
					request.id(), verdict.tag().name(), model, ex.getMessage(), asked, upstream);
			return candidates;
		}
	}

	private boolean prune(GatewayRequest request, IntentReport report, ObjectNode tree, RouterVerdict verdict) {
		int before = this.estimator.estimateInputTokens(tree);
		ContextPruner.Pruned pruned = ContextPruner.prune(tree, verdict, report.options());
		long saved = pruned.changed() ? Math.max(0, before - this.estimator.estimateInputTokens(tree)) : 0;
		report.saved(saved);
		count("tollgate.context.tokens_saved", "Input tokens the context optimisations removed, estimated", null, null)
			.increment(saved);
		count("tollgate.context.pruned", "Messages, tools and images the context optimisations removed", "kind",
				"messages")
			.increment(pruned.messages());
		count("tollgate.context.pruned", "Messages, tools and images the context optimisations removed", "kind",
				"tools")
			.increment(pruned.tools());
		count("tollgate.context.pruned", "Messages, tools and images the context optimisations removed", "kind",
				"images")
			.increment(pruned.images());
		logger.debug("Request {}: context optimisation removed {} messages, {} tools, {} images (~{} tokens)",
				request.id(), pruned.messages(), pruned.tools(), pruned.images(), saved);
		return pruned.changed();
	}

	private Mono<Boolean> plan(GatewayRequest request, IntentReport report, PlannedModel planned, RequestDigest digest,
			ObjectNode tree) {
		byte[] prompt = Planning.request(planned.planner(), digest);
		return this.calls.call(request, "planner", prompt, true, this.properties.plannerTimeout()).map((answer) -> {
			report.planningCall(answer.usage(), answer.cost());
			String plan = Planning.plan(answer.message());
			if (plan == null) {
				planning("empty");
				return false;
			}
			Planning.insert(tree, plan);
			planning("planned");
			return true;
		}).onErrorResume((ex) -> {
			planning((ex instanceof TimeoutException) ? "timeout" : "failed");
			logger.info("Request {}: planning_outcome=failed planner={}: {}; the executor answers without a plan",
					request.id(), planned.planner(), ex.toString());
			return Mono.just(false);
		});
	}

	private void planning(String outcome) {
		count("tollgate.intent.planning", "Planner calls, by outcome", "outcome", outcome).increment();
	}

	private void report(IntentReport report, HttpHeaders headers) {
		String outcome = (report.outcome() != null) ? report.outcome() : "unrouted";
		count("tollgate.intent.decisions", "Intent-routing decisions, by outcome", "outcome", outcome).increment();
		headers.set(OUTCOME_HEADER, outcome);
		if (report.tag() != null) {
			headers.set(TAG_HEADER, headerValue(report.tag()));
		}
		if (report.routedModel() != null) {
			headers.set(MODEL_HEADER, headerValue(report.routedModel()));
		}
		if (report.options().optimisesContext()) {
			headers.set(SAVED_HEADER, Long.toString(report.tokensSaved()));
		}
	}

	/**
	 * Names as they were given, percent-encoded when they hold more than printable ASCII.
	 */
	private static String headerValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
			}
		}
		return value;
	}

	private Counter count(String name, String description, String tag, String value) {
		return this.counters.computeIfAbsent(name + "|" + value, (key) -> {
			Counter.Builder builder = Counter.builder(name).description(description);
			if (tag != null) {
				builder.tag(tag, value);
			}
			return builder.register(this.meters);
		});
	}

}
