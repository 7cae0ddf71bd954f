package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code system} and {@code messages} as the OpenAI {@code messages} array. Consecutive
 * turns of one role are merged first (C20). Every assistant tool call is answered by
 * exactly one {@code tool} message directly after it, in call order, with a placeholder
 * where the history has none (C116); system messages that arrive while tool calls are
 * open wait until the answers are written. One instance converts one request.
 */
final class HistoryConverter {

	private final ArrayNode out = Json.array();

	private final List<String> openToolCalls = new ArrayList<>();

	private final List<ObjectNode> waitingSystem = new ArrayList<>();

	private final OpenAiQuirks quirks;

	private final ToolNameMap names;

	private final ContentParts parts;

	HistoryConverter(OpenAiQuirks quirks, ToolNameMap names) {
		this.quirks = quirks;
		this.names = names;
		this.parts = new ContentParts(quirks);
	}

	ArrayNode convert(JsonNode system, JsonNode messages) {
		if (system != null && !system.isNull()) {
			addSystem(SystemPrompt.message(system, "system", this.quirks));
		}
		int start = 0;
		while (start < messages.size()) {
			String role = role(messages, start);
			int end = start + 1;
			while (end < messages.size() && role(messages, end).equals(role)) {
				end++;
			}
			switch (role) {
				case "user" -> user(messages, start, end);
				case "assistant" -> assistant(messages, start, end);
				default -> system(messages, start, end);
			}
			start = end;
		}
		answerOpenToolCalls(null);
		return this.out;
	}

	private void user(JsonNode messages, int start, int end) {
		UserTurn turn = new UserTurn(this.parts);
		for (int i = start; i < end; i++) {
			turn.add(content(messages, i), "messages." + i + ".content");
		}
		List<ToolResultMessage> answered = answerOpenToolCalls(turn);
		ObjectNode message = turn.message(answered);
		if (message != null) {
			this.out.add(message);
		}
	}

	private void assistant(JsonNode messages, int start, int end) {
		answerOpenToolCalls(null);
		AssistantTurn turn = new AssistantTurn(this.quirks, this.names);
		for (int i = start; i < end; i++) {
			turn.add(content(messages, i), "messages." + i + ".content");
		}
		ObjectNode message = turn.message();
		if (message != null) {
			this.out.add(message);
			this.openToolCalls.addAll(turn.toolCallIds());
		}
	}

	private void system(JsonNode messages, int start, int end) {
		for (int i = start; i < end; i++) {
			addSystem(SystemPrompt.message(content(messages, i), "messages." + i + ".content", this.quirks));
		}
	}

	private void addSystem(ObjectNode message) {
		if (message == null) {
			return;
		}
		if (this.openToolCalls.isEmpty()) {
			this.out.add(message);
		}
		else {
			this.waitingSystem.add(message);
		}
	}

	/**
	 * Writes one tool message per open tool call, from the turn's results or a
	 * placeholder, then the system messages that waited for them.
	 * @return the results that answered a tool call
	 */
	private List<ToolResultMessage> answerOpenToolCalls(UserTurn turn) {
		List<ToolResultMessage> answered = new ArrayList<>();
		for (String id : this.openToolCalls) {
			ToolResultMessage result = (turn != null) ? turn.takeResult(id) : null;
			if (result != null) {
				answered.add(result);
			}
			this.out.add((result != null) ? result.message() : ToolResultMessage.placeholder(id));
		}
		this.openToolCalls.clear();
		this.waitingSystem.forEach(this.out::add);
		this.waitingSystem.clear();
		return answered;
	}

	private static String role(JsonNode messages, int index) {
		String role = Json.text(messages.get(index), "role");
		if (!"user".equals(role) && !"assistant".equals(role) && !"system".equals(role)) {
			throw ConversionException.at("messages." + index + ".role",
					"Input should be 'user', 'assistant' or 'system'");
		}
		return role;
	}

	private static JsonNode content(JsonNode messages, int index) {
		JsonNode content = messages.get(index).get("content");
		if (content == null) {
			throw ConversionException.at("messages." + index + ".content", "Field required");
		}
		if (!content.isString() && !content.isArray()) {
			throw ConversionException.at("messages." + index + ".content", "Input should be a valid string or list");
		}
		return content;
	}

}
