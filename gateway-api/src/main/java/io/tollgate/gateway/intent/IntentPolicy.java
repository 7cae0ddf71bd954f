package io.tollgate.gateway.intent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tollgate.billing.directory.GroupView;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.IntentReport;
import io.tollgate.routing.intent.IntentOptions;
import io.tollgate.routing.intent.PlannedModel;
import io.tollgate.routing.mapping.ModelPatterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * What a request may ask of intent routing, planning and context optimisation: nothing in
 * a group without a router model (asking is a 400), else its {@code gateway} options over
 * its group's defaults, option by option. Decided before the request is planned, without
 * parsing anything in the common case.
 */
@Component
class IntentPolicy {

	private static final Logger logger = LoggerFactory.getLogger(IntentPolicy.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> GROUP_OPTIONS = List.of("planningTriggerScore", "chatHistoryCompression",
			"toolOptimization", "mediaOptimization");

	private final Map<String, ObjectNode> groupDefaults = new ConcurrentHashMap<>();

	/**
	 * Reads what a request asks for and notes it on the request; a model written
	 * {@code executor:planning:planner} is routed as its executor.
	 * @param request the request, body read
	 * @return the request
	 * @throws GatewayException 400 when the options are malformed or the group has no
	 * router model; 403 when the key may not use the planner
	 */
	GatewayRequest prepare(GatewayRequest request) {
		GroupView group = request.group();
		JsonNode gateway = request.body().gateway();
		String model = request.requestedModel();
		if (group.routerModel() == null && group.intentDefaults() == null && gateway == null
				&& model.indexOf(':') < 0) {
			// the common case, decided without parsing anything
			return request;
		}
		IntentOptions asked = options(gateway);
		PlannedModel planned = PlannedModel.parse(model);
		if (group.routerModel() == null) {
			if (asked.needsRouter() || planned != null) {
				throw GatewayException.invalidRequest((planned != null) ? "model: " + model
						+ ": planning (executor:planning:planner) is not enabled for this group: it has no router model"
						: "gateway: tags, planning and context optimisation are not enabled for this group: "
								+ "it has no router model. Ask the operator.");
			}
			return request;
		}
		IntentOptions options = withGroupDefaults(group, gateway, asked);
		if (planned != null) {
			if (!ModelPatterns.anyMatches(request.grant().allowedModels(), planned.planner())) {
				throw GatewayException
					.permission("model: planner " + planned.planner() + " is not allowed for this API key");
			}
			request.routedModel(planned.executor());
		}
		if (planned != null || !options.tags().isEmpty() || options.optimisesContext()) {
			request.intent(new IntentReport(options, planned));
		}
		return request;
	}

	private static IntentOptions options(JsonNode gateway) {
		try {
			return IntentOptions.of(gateway);
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidRequest(ex.getMessage());
		}
	}

	/** The group's defaults, each replaced by the request's own value of that option. */
	private IntentOptions withGroupDefaults(GroupView group, JsonNode gateway, IntentOptions asked) {
		if (group.intentDefaults() == null) {
			return asked;
		}
		ObjectNode defaults = this.groupDefaults.computeIfAbsent(group.intentDefaults(), (json) -> {
			if (this.groupDefaults.size() > 256) {
				this.groupDefaults.clear();
			}
			try {
				return (JSON.readTree(json) instanceof ObjectNode object) ? object : JSON.createObjectNode();
			}
			catch (JacksonException ex) {
				logger.warn("Group {}: intent defaults are not JSON, ignored", group.name());
				return JSON.createObjectNode();
			}
		});
		ObjectNode merged = defaults.deepCopy();
		merged.retain(GROUP_OPTIONS);
		if (gateway != null && gateway.isObject()) {
			for (String option : GROUP_OPTIONS) {
				if (gateway.has(option)) {
					merged.set(option, gateway.get(option));
				}
			}
			if (gateway.has("tags")) {
				merged.set("tags", gateway.get("tags"));
			}
		}
		try {
			return IntentOptions.of(merged);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Group {}: intent defaults ignored: {}", group.name(), ex.getMessage());
			return asked;
		}
	}

}
