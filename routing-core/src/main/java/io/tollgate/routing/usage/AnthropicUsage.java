package io.tollgate.routing.usage;

import tools.jackson.databind.JsonNode;

/**
 * Reads Anthropic {@code usage} objects. A {@code message_delta}'s usage holds cumulative
 * totals that overwrite what {@code message_start} said, field by field, when present.
 */
public final class AnthropicUsage {

	private AnthropicUsage() {
	}

	/**
	 * Applies a usage object on top of what is known.
	 * @param usage the {@code usage} node (may be missing or null)
	 * @param known the usage so far
	 * @return the updated usage
	 */
	public static TokenUsage merge(JsonNode usage, TokenUsage known) {
		if (usage == null || !usage.isObject()) {
			return known;
		}
		long cacheWrite = value(usage, "cache_creation_input_tokens", known.cacheCreationInputTokens());
		long write5m = known.cacheCreation5mInputTokens();
		long write1h = known.cacheCreation1hInputTokens();
		JsonNode breakdown = usage.get("cache_creation");
		if (breakdown != null && breakdown.isObject()) {
			write5m = value(breakdown, "ephemeral_5m_input_tokens", write5m);
			write1h = value(breakdown, "ephemeral_1h_input_tokens", write1h);
		}
		return new TokenUsage(value(usage, "input_tokens", known.inputTokens()),
				value(usage, "output_tokens", known.outputTokens()), cacheWrite, write5m, write1h,
				value(usage, "cache_read_input_tokens", known.cacheReadInputTokens()));
	}

	private static long value(JsonNode node, String field, long fallback) {
		JsonNode value = node.get(field);
		return (value != null && value.isNumber()) ? value.asLong() : fallback;
	}

}
