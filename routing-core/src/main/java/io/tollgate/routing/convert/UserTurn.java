package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Consecutive user messages, split into their tool results and their remaining content
 * (C112). The history writes the tool messages first, then one user message with the
 * attachments moved out of tool results (C114) and the rest.
 */
final class UserTurn {

	private final Map<String, ToolResultMessage> results = new LinkedHashMap<>();

	private final List<ToolResultMessage> duplicates = new ArrayList<>();

	private final List<ObjectNode> parts = new ArrayList<>();

	private final ContentParts converter;

	private String onlyString;

	private int messages;

	UserTurn(ContentParts converter) {
		this.converter = converter;
	}

	void add(JsonNode content, String path) {
		this.messages++;
		if (content.isString()) {
			this.onlyString = (this.messages == 1) ? content.stringValue() : null;
			if (!content.stringValue().isEmpty()) {
				this.parts.add(this.converter.text(content.stringValue(), null));
			}
			return;
		}
		this.onlyString = null;
		for (int i = 0; i < content.size(); i++) {
			JsonNode block = content.get(i);
			String blockPath = path + "." + i;
			if ("tool_result".equals(ContentParts.typeOf(block))) {
				ToolResultMessage result = ToolResultMessage.of(block, blockPath, this.converter);
				if (this.results.putIfAbsent(result.toolCallId(), result) != null) {
					this.duplicates.add(result);
				}
			}
			else {
				this.converter.append(block, blockPath, this.parts);
			}
		}
	}

	/**
	 * Removes and returns the result for a tool call, or {@code null} when the turn has
	 * none.
	 */
	ToolResultMessage takeResult(String toolCallId) {
		return this.results.remove(toolCallId);
	}

	/**
	 * The user message after the tool messages: attachments of answered results, results
	 * that answer no tool call in the history (as text, so strict upstreams do not reject
	 * an orphan tool message), then the rest.
	 * @param answered the results already written as tool messages
	 * @return the message, or {@code null} when there is nothing to send
	 */
	ObjectNode message(List<ToolResultMessage> answered) {
		if (!Json.isEmpty(this.onlyString) && answered.isEmpty() && this.results.isEmpty()) {
			return user(Json.string(this.onlyString));
		}
		ArrayNode content = Json.array();
		answered.forEach((result) -> result.attachments().forEach(content::add));
		List<ToolResultMessage> orphans = new ArrayList<>(this.results.values());
		orphans.addAll(this.duplicates);
		for (ToolResultMessage orphan : orphans) {
			content
				.add(this.converter.text("Result of tool call " + orphan.toolCallId() + ":\n" + orphan.text(), null));
			orphan.attachments().forEach(content::add);
		}
		this.parts.forEach(content::add);
		return content.isEmpty() ? null : user(content);
	}

	private static ObjectNode user(JsonNode content) {
		ObjectNode message = Json.object().put("role", "user");
		message.set("content", content);
		return message;
	}

}
