package io.tollgate.routing.convert;

import tools.jackson.databind.JsonNode;

/**
 * A bound of a Messages request's input tokens for reserving its cost before it goes
 * upstream: the {@link TokenEstimator} count with a quarter on top (the upstream's
 * tokenizer is not {@code o200k_base} and counts more for some text), plus 1024 tokens
 * for the system prompt an upstream adds for tools. Base64 documents (PDFs), which the
 * estimator counts at a fixed size, count one token per two bytes of their data instead,
 * as there is no cheaper way to know their pages. Thread-safe.
 */
public final class InputTokenBound {

	/** Tokens on top of the count, for the prompt upstreams add for tools. */
	public static final long TOOL_PROMPT_ROOM = 1024;

	private final TokenEstimator estimator = new TokenEstimator();

	/**
	 * A bound whose tokenizer is ready: its rules and vocabulary are loaded by a first
	 * count here, at start, rather than by the first request, which could not afford it.
	 */
	public InputTokenBound() {
		this.estimator.countText("Tollgate counts input tokens.");
	}

	/**
	 * The bound of a request.
	 * @param request the parsed request body
	 * @return the bound, at least {@link #TOOL_PROMPT_ROOM}
	 */
	public long of(JsonNode request) {
		long counted = this.estimator.estimateInputTokens(request);
		return counted + (counted + 3) / 4 + base64Documents(request.get("messages")) + TOOL_PROMPT_ROOM;
	}

	/** Half the size of the base64 data of every document, wherever it sits. */
	private static long base64Documents(JsonNode node) {
		if (node == null || !node.isContainer()) {
			return 0;
		}
		long tokens = 0;
		if (node.isObject() && "document".equals(Json.text(node, "type"))) {
			JsonNode source = node.get("source");
			String data = "base64".equals(Json.text(source, "type")) ? Json.text(source, "data") : null;
			if (data != null) {
				tokens += Math.max(0, data.length() / 2 - TokenEstimator.IMAGE_TOKENS);
			}
		}
		for (JsonNode child : node) {
			tokens += base64Documents(child);
		}
		return tokens;
	}

}
