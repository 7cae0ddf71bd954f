package io.tollgate.routing.intent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The intent-routing, planning and context options of a request's {@code gateway} object.
 * Everything is off unless asked for.
 *
 * @param tags the tags to route by (empty: no intent routing)
 * @param planningTriggerScore the complexity from which the planner writes a plan, or
 * {@code null}
 * @param history chat-history compression, or {@code null}
 * @param tools tool optimisation, or {@code null}
 * @param media whether past images the current turn does not need are removed
 */
public record IntentOptions(List<Tag> tags, Double planningTriggerScore, HistoryCompression history,
		ToolOptimization tools, boolean media) {

	/** The most tags a request may name. */
	public static final int MAX_TAGS = 16;

	public static final IntentOptions NONE = new IntentOptions(List.of(), null, null, null, false);

	/** Whether the router model has anything to decide. */
	public boolean needsRouter() {
		return !this.tags.isEmpty() || this.planningTriggerScore != null || this.history != null || this.tools != null
				|| this.media;
	}

	/** Whether any context optimisation is on. */
	public boolean optimisesContext() {
		return this.history != null || this.tools != null || this.media;
	}

	/**
	 * Reads the options.
	 * @param gateway the request's {@code gateway} object, or {@code null}
	 * @return the options
	 * @throws IllegalArgumentException naming the field that is wrong
	 */
	public static IntentOptions of(JsonNode gateway) {
		if (gateway == null || !gateway.isObject()) {
			return NONE;
		}
		List<Tag> tags = tags(gateway.get("tags"));
		Double trigger = score(gateway.get("planningTriggerScore"), "gateway.planningTriggerScore");
		HistoryCompression history = null;
		JsonNode compression = enabled(gateway.get("chatHistoryCompression"), "gateway.chatHistoryCompression");
		if (compression != null) {
			Double score = score(compression.get("score"), "gateway.chatHistoryCompression.score");
			history = new HistoryCompression((score != null) ? score : 0.3);
		}
		ToolOptimization tools = null;
		JsonNode optimization = enabled(gateway.get("toolOptimization"), "gateway.toolOptimization");
		if (optimization != null) {
			Double accept = score(optimization.get("acceptScore"), "gateway.toolOptimization.acceptScore");
			tools = new ToolOptimization((accept != null) ? accept : 0.3,
					strings(optimization.get("alwaysInclude"), "gateway.toolOptimization.alwaysInclude"));
		}
		boolean media = enabled(gateway.get("mediaOptimization"), "gateway.mediaOptimization") != null;
		return new IntentOptions(tags, trigger, history, tools, media);
	}

	private static List<Tag> tags(JsonNode node) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new IllegalArgumentException("gateway.tags: Input should be a valid list");
		}
		if (node.size() > MAX_TAGS) {
			throw new IllegalArgumentException("gateway.tags: at most " + MAX_TAGS + " tags");
		}
		List<Tag> tags = new ArrayList<>();
		Set<String> names = new LinkedHashSet<>();
		for (int i = 0; i < node.size(); i++) {
			JsonNode tag = node.get(i);
			String field = "gateway.tags." + i;
			if (!tag.isObject()) {
				throw new IllegalArgumentException(field + ": Input should be a valid object");
			}
			String name = text(tag.get("name"), field + ".name", 64, true);
			if (!names.add(name)) {
				throw new IllegalArgumentException(field + ".name: tag '" + name + "' is named twice");
			}
			String description = text(tag.get("description"), field + ".description", 1000, false);
			List<String> models = strings(tag.get("models"), field + ".models");
			if (models.isEmpty()) {
				throw new IllegalArgumentException(field + ".models: at least one model is required");
			}
			tags.add(new Tag(name, (description != null) ? description : "", models));
		}
		return List.copyOf(tags);
	}

	/**
	 * The option object when it is on ({@code true}, or an object without
	 * {@code enabled: false}).
	 */
	private static JsonNode enabled(JsonNode node, String field) {
		if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
			return null;
		}
		if (node.isBoolean()) {
			return JsonNodeFactory.instance.objectNode();
		}
		if (!node.isObject()) {
			throw new IllegalArgumentException(field + ": Input should be a valid object");
		}
		JsonNode on = node.get("enabled");
		if (on != null && !on.isBoolean()) {
			throw new IllegalArgumentException(field + ".enabled: Input should be a valid boolean");
		}
		return (on == null || on.booleanValue()) ? node : null;
	}

	private static Double score(JsonNode node, String field) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isNumber() || node.doubleValue() < 0 || node.doubleValue() > 1) {
			throw new IllegalArgumentException(field + ": Input should be a number from 0 to 1");
		}
		return node.doubleValue();
	}

	private static List<String> strings(JsonNode node, String field) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new IllegalArgumentException(field + ": Input should be a valid list");
		}
		List<String> values = new ArrayList<>();
		for (JsonNode element : node) {
			values.add(text(element, field, 256, true));
		}
		if (values.size() > 32) {
			throw new IllegalArgumentException(field + ": at most 32 entries");
		}
		return List.copyOf(values);
	}

	private static String text(JsonNode node, String field, int max, boolean required) {
		if (node == null || node.isNull()) {
			if (required) {
				throw new IllegalArgumentException(field + ": Field required");
			}
			return null;
		}
		if (!node.isString() || (required && node.stringValue().isBlank())) {
			throw new IllegalArgumentException(field + ": Input should be a non-empty string");
		}
		String value = node.stringValue();
		if (value.length() > max) {
			throw new IllegalArgumentException(field + ": at most " + max + " characters");
		}
		for (int i = 0; i < value.length(); i++) {
			if (Character.isISOControl(value.charAt(i)) && value.charAt(i) != '\n' && value.charAt(i) != '\t') {
				throw new IllegalArgumentException(field + ": control characters are not allowed");
			}
		}
		return value;
	}

	/**
	 * History compression: messages the current turn depends on less than {@code score}
	 * are dropped.
	 *
	 * @param score the dependency score below which a past message goes
	 */
	public record HistoryCompression(double score) {
	}

	/**
	 * Tool optimisation: tools scored below {@code acceptScore} are dropped.
	 *
	 * @param acceptScore the relevance score a tool needs to stay
	 * @param alwaysInclude tools never dropped
	 */
	public record ToolOptimization(double acceptScore, List<String> alwaysInclude) {
	}

}
