package io.tollgate.routing.convert;

import tools.jackson.databind.JsonNode;

/**
 * {@code thinking} and {@code output_config.effort} as OpenAI's {@code reasoning_effort}
 * (C125). An {@code enabled} budget is bucketed (up to 1024 tokens low, up to 8192
 * medium, above high); {@code adaptive} uses the requested effort or medium;
 * {@code disabled} sends nothing. Without {@code thinking}, an explicit effort still
 * maps, because effort alone is meaningful to Anthropic models too. Anthropic's
 * {@code xhigh} and {@code max} become {@code high}, the highest level every
 * OpenAI-compatible upstream knows.
 */
final class ReasoningEffort {

	private static final int LOW_BUDGET = 1024;

	private static final int MEDIUM_BUDGET = 8192;

	private ReasoningEffort() {
	}

	/** The effort, or {@code null} when none should be sent. */
	static String of(JsonNode request) {
		JsonNode thinking = request.get("thinking");
		String effort = Json.text(Json.object(request, "output_config"), "effort");
		if (thinking == null || thinking.isNull()) {
			return (effort != null) ? fromEffort(effort) : null;
		}
		String type = Json.text(thinking, "type");
		return switch ((type != null) ? type : "") {
			case "disabled" -> null;
			case "adaptive" -> (effort != null) ? fromEffort(effort) : "medium";
			case "enabled" -> fromBudget(thinking.get("budget_tokens"));
			default ->
				throw ConversionException.at("thinking.type", "Input should be 'enabled', 'disabled' or 'adaptive'");
		};
	}

	private static String fromBudget(JsonNode budget) {
		if (budget == null || !budget.isIntegralNumber()) {
			throw ConversionException.at("thinking.enabled.budget_tokens", "Field required");
		}
		long tokens = budget.asLong();
		return (tokens <= LOW_BUDGET) ? "low" : (tokens <= MEDIUM_BUDGET) ? "medium" : "high";
	}

	private static String fromEffort(String effort) {
		return switch (effort) {
			case "low", "medium", "high" -> effort;
			case "xhigh", "max" -> "high";
			default -> throw ConversionException.at("output_config.effort",
					"Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
		};
	}

}
