package io.tollgate.routing.convert;

import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI {@code usage} in Anthropic's terms (C134): cached and cache-written tokens are
 * taken out of {@code input_tokens}; {@code output_tokens} is {@code completion_tokens},
 * reasoning included, and at least 1 as the real API reports for an empty answer (C75).
 */
final class Usages {

	private Usages() {
	}

	/** The usage, or {@code null} when the node is not a usage object. */
	static TokenUsage fromOpenAi(JsonNode usage) {
		if (usage == null || !usage.isObject()) {
			return null;
		}
		long prompt = usage.path("prompt_tokens").asLong(0);
		JsonNode details = usage.path("prompt_tokens_details");
		long cached = details.path("cached_tokens").asLong(usage.path("prompt_cache_hit_tokens").asLong(0));
		long written = details.path("cache_write_tokens").asLong(0);
		long input = Math.max(prompt - cached - written, 0);
		// C75: the real API reports at least one output token, even for an empty answer
		long output = Math.max(1, usage.path("completion_tokens").asLong(0));
		return new TokenUsage(input, output, written, 0, 0, cached);
	}

	/**
	 * A stand-in when the upstream reported nothing: the request's rough input size and
	 * one token per four generated characters, at least one (C75).
	 */
	static TokenUsage estimated(ConversionContext context, long generatedChars) {
		return new TokenUsage(context.estimatedInputTokens(), Math.max(1, (generatedChars + 3) / 4), 0, 0, 0, 0);
	}

	static ObjectNode toJson(TokenUsage usage) {
		return Json.object()
			.put("input_tokens", usage.inputTokens())
			.put("output_tokens", usage.outputTokens())
			.put("cache_creation_input_tokens", usage.cacheCreationInputTokens())
			.put("cache_read_input_tokens", usage.cacheReadInputTokens());
	}

}
