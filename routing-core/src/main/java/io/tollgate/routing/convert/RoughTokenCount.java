package io.tollgate.routing.convert;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A tokenizer-free input size: one token per four characters of every string in
 * {@code system}, {@code messages} and {@code tools}, plus
 * {@link TokenEstimator#IMAGE_TOKENS} per base64 image or document. Cheap enough for
 * every request; used only when an upstream reports no usage. {@link TokenEstimator} is
 * the accurate one.
 */
final class RoughTokenCount {

	private long chars;

	private long attachments;

	private RoughTokenCount() {
	}

	static int of(JsonNode request) {
		RoughTokenCount count = new RoughTokenCount();
		count.walk(request.get("system"));
		count.walk(request.get("messages"));
		count.walk(request.get("tools"));
		long tokens = (count.chars + 3) / 4 + count.attachments * TokenEstimator.IMAGE_TOKENS;
		return (int) Math.min(Integer.MAX_VALUE, tokens);
	}

	private void walk(JsonNode node) {
		if (node == null) {
			return;
		}
		if (node.isString()) {
			this.chars += node.stringValue().length();
		}
		else if (node.isArray()) {
			node.forEach(this::walk);
		}
		else if (node.isObject()) {
			if ("base64".equals(Json.text(node, "type")) && node.has("data")) {
				this.attachments++;
				return;
			}
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				walk(entry.getValue());
			}
		}
	}

}
