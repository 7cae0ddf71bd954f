package io.tollgate.gateway.forward;

import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.IntentReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds {@code usage.planning_usage_details} to an answer whose request paid for router or
 * planner calls; every other answer is left alone, byte for byte.
 */
final class PlanningUsageDetails {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private PlanningUsageDetails() {
	}

	/** Whether the request's answer carries planning usage. */
	static boolean applies(GatewayRequest request) {
		IntentReport intent = request.intent();
		return intent != null && intent.hasPlanningUsage();
	}

	/**
	 * Adds the details to a Message, or to a {@code message_start} event's message.
	 * @param request the request
	 * @param json the Message or the event's data
	 * @return the JSON with the details, or as it was when there is nothing to add
	 */
	static byte[] add(GatewayRequest request, byte[] json) {
		if (!applies(request)) {
			return json;
		}
		JsonNode root = JSON.readTree(json);
		if (!(root instanceof ObjectNode object)) {
			return json;
		}
		add(request, object);
		return JSON.writeValueAsBytes(object);
	}

	/** Adds the details to a Message tree, or a {@code message_start} event's message. */
	static void add(GatewayRequest request, ObjectNode root) {
		if (!applies(request)) {
			return;
		}
		ObjectNode message = (root.get("message") instanceof ObjectNode nested) ? nested : root;
		ObjectNode usage = (message.get("usage") instanceof ObjectNode existing) ? existing
				: message.putObject("usage");
		usage.set("planning_usage_details", JSON.readTree(request.intent().usageDetailsJson()));
	}

}
