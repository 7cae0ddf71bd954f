package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Consecutive assistant messages as one OpenAI assistant message (C20, C115): text
 * joined, {@code tool_use} blocks as {@code tool_calls} with JSON-string arguments,
 * thinking echoed in the upstream's reasoning field or dropped (C127). Blocks OpenAI
 * cannot represent (redacted thinking, server tools and their results) are dropped (C64).
 */
final class AssistantTurn {

	private final StringBuilder text = new StringBuilder();

	private final StringBuilder reasoning = new StringBuilder();

	private final ArrayNode toolCalls = Json.array();

	private final List<String> toolCallIds = new ArrayList<>();

	private final OpenAiQuirks quirks;

	private final ToolNameMap names;

	AssistantTurn(OpenAiQuirks quirks, ToolNameMap names) {
		this.quirks = quirks;
		this.names = names;
	}

	void add(JsonNode content, String path) {
		if (content.isString()) {
			this.text.append(content.stringValue());
			return;
		}
		for (int i = 0; i < content.size(); i++) {
			JsonNode block = content.get(i);
			switch (ContentParts.typeOf(block)) {
				case "text" -> this.text.append(Json.textOrEmpty(block, "text"));
				case "thinking" -> this.reasoning.append(Json.textOrEmpty(block, "thinking"));
				case "tool_use" -> addToolCall(block, path + "." + i);
				default -> {
				}
			}
		}
	}

	/** The ids of the tool calls, in order, that the next turn must answer. */
	List<String> toolCallIds() {
		return this.toolCallIds;
	}

	/**
	 * The OpenAI message, or {@code null} when nothing in the turn survives conversion.
	 */
	ObjectNode message() {
		String reasoningField = this.quirks.reasoningField().jsonName();
		boolean echoReasoning = reasoningField != null && !this.reasoning.isEmpty();
		if (this.text.isEmpty() && this.toolCalls.isEmpty() && !echoReasoning) {
			return null;
		}
		ObjectNode message = Json.object().put("role", "assistant");
		if (!this.text.isEmpty() || this.toolCalls.isEmpty()) {
			message.put("content", this.text.toString());
		}
		else {
			message.putNull("content");
		}
		if (echoReasoning) {
			message.put(reasoningField, this.reasoning.toString());
		}
		if (!this.toolCalls.isEmpty()) {
			message.set("tool_calls", this.toolCalls);
		}
		return message;
	}

	private void addToolCall(JsonNode block, String path) {
		String id = Json.text(block, "id");
		if (Json.isEmpty(id)) {
			throw ConversionException.at(path + ".id", "Field required");
		}
		String name = Json.text(block, "name");
		if (name == null) {
			throw ConversionException.at(path + ".name", "Field required");
		}
		JsonNode input = block.get("input");
		String arguments = (input == null || input.isNull()) ? "{}"
				: input.isString() ? input.stringValue() : Json.write(input);
		String upstreamId = ToolIds.upstream(id);
		ObjectNode call = this.toolCalls.addObject().put("id", upstreamId).put("type", "function");
		call.putObject("function").put("name", this.names.toUpstream(name)).put("arguments", arguments);
		this.toolCallIds.add(upstreamId);
	}

}
