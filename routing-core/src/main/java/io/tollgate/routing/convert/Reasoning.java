package io.tollgate.routing.convert;

import tools.jackson.databind.JsonNode;

/**
 * Reasoning text of an OpenAI message or stream delta, under either name upstreams use
 * (C127, C129, C137): {@code reasoning_content} (DeepSeek style) or {@code reasoning}
 * (vLLM 0.16+, OpenRouter).
 */
final class Reasoning {

	private Reasoning() {
	}

	/** The reasoning text, or {@code null} when there is none or it is empty. */
	static String of(JsonNode messageOrDelta) {
		String content = Json.text(messageOrDelta, "reasoning_content");
		if (!Json.isEmpty(content)) {
			return content;
		}
		String reasoning = Json.text(messageOrDelta, "reasoning");
		return Json.isEmpty(reasoning) ? null : reasoning;
	}

}
