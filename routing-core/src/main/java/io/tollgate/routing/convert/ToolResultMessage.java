package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code tool_result} block as one OpenAI {@code tool} message (C112, C113, C65).
 * OpenAI tool messages take only text, so images and files inside the result are handed
 * back to travel in the following user message (C114). OpenAI has no error flag, so
 * {@code is_error} becomes an {@value #ERROR_PREFIX} prefix.
 *
 * @param toolCallId the id of the tool call it answers
 * @param message the {@code tool} message
 * @param attachments image and file parts moved out of the result
 */
record ToolResultMessage(String toolCallId, ObjectNode message, List<ObjectNode> attachments) {

	static final String ERROR_PREFIX = "Error: ";

	static final String ATTACHMENTS_ONLY = "(The tool returned the attachments in the next message.)";

	static final String PLACEHOLDER = "(No result was provided for this tool call.)";

	static ToolResultMessage of(JsonNode block, String path, ContentParts parts) {
		String id = Json.text(block, "tool_use_id");
		if (Json.isEmpty(id)) {
			throw ConversionException.at(path + ".tool_use_id", "Field required");
		}
		id = ToolIds.upstream(id);
		List<ObjectNode> texts = new ArrayList<>();
		List<ObjectNode> attachments = new ArrayList<>();
		JsonNode content = block.get("content");
		if (content != null && content.isString() && !content.stringValue().isEmpty()) {
			texts.add(parts.text(content.stringValue(), null));
		}
		else if (content != null && content.isArray()) {
			List<ObjectNode> converted = new ArrayList<>();
			for (int i = 0; i < content.size(); i++) {
				parts.append(content.get(i), path + ".content." + i, converted);
			}
			for (ObjectNode part : converted) {
				(isText(part) ? texts : attachments).add(part);
			}
		}
		boolean isError = block.path("is_error").asBoolean(false);
		return new ToolResultMessage(id, tool(id, content(texts, attachments, isError)), List.copyOf(attachments));
	}

	/**
	 * A stand-in answer for a tool call the history left unanswered, so strict upstreams
	 * accept it (C116).
	 */
	static ObjectNode placeholder(String toolCallId) {
		return tool(toolCallId, Json.string(PLACEHOLDER));
	}

	/** The result as plain text, for a result whose tool call is not in the history. */
	String text() {
		JsonNode content = this.message.get("content");
		if (content.isString()) {
			return content.stringValue();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(text.isEmpty() ? "" : "\n").append(Json.text(part, "text"));
		}
		return text.toString();
	}

	private static boolean isText(ObjectNode part) {
		return "text".equals(Json.text(part, "type"));
	}

	private static JsonNode content(List<ObjectNode> texts, List<ObjectNode> attachments, boolean isError) {
		if (texts.isEmpty()) {
			String text = attachments.isEmpty() ? "" : ATTACHMENTS_ONLY;
			return Json.string(isError ? (ERROR_PREFIX + text).strip() : text);
		}
		if (isError) {
			ObjectNode first = texts.get(0);
			first.put("text", ERROR_PREFIX + Json.text(first, "text"));
		}
		if (texts.size() == 1 && !texts.get(0).has("cache_control")) {
			return Json.string(Json.text(texts.get(0), "text"));
		}
		ArrayNode array = Json.array();
		texts.forEach(array::add);
		return array;
	}

	private static ObjectNode tool(String toolCallId, JsonNode content) {
		ObjectNode message = Json.object().put("role", "tool").put("tool_call_id", toolCallId);
		message.set("content", content);
		return message;
	}

}
