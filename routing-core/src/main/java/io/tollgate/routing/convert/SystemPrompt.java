package io.tollgate.routing.convert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The top-level {@code system} field, and {@code system}-role messages in the
 * conversation, as OpenAI {@code system} messages (C108, C24). Blocks without text are
 * skipped.
 */
final class SystemPrompt {

	private SystemPrompt() {
	}

	/**
	 * The system message for a string or a list of text blocks.
	 * @return the message, or {@code null} when there is no text
	 */
	static ObjectNode message(JsonNode content, String path, OpenAiQuirks quirks) {
		if (content.isString()) {
			return content.stringValue().isEmpty() ? null : message(content);
		}
		if (!content.isArray()) {
			throw ConversionException.at(path, "Input should be a valid string or list of text blocks");
		}
		ArrayNode parts = Json.array();
		StringBuilder joined = new StringBuilder();
		for (JsonNode block : content) {
			String text = Json.text(block, "text");
			if (Json.isEmpty(text)) {
				continue;
			}
			joined.append(joined.isEmpty() ? "" : "\n").append(text);
			ObjectNode part = parts.addObject().put("type", "text").put("text", text);
			ContentParts.copyCacheControl(block, part, quirks);
		}
		if (parts.isEmpty()) {
			return null;
		}
		return quirks.systemAsString() ? message(Json.string(joined.toString())) : message(parts);
	}

	private static ObjectNode message(JsonNode content) {
		ObjectNode message = Json.object().put("role", "system");
		message.set("content", content);
		return message;
	}

}
