package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test oracle: folds upstream stream payloads into the non-streaming
 * {@code chat.completion} an upstream would have returned for the same content, so that
 * the stream and non-stream paths can be compared. Follows the stream rules: nothing
 * after {@code [DONE]}, and no content after the finish reason (C145).
 */
final class ChunkAssembler {

	private ChunkAssembler() {
	}

	static ObjectNode assemble(List<String> payloads) {
		StringBuilder reasoning = new StringBuilder();
		StringBuilder content = new StringBuilder();
		StringBuilder refusal = new StringBuilder();
		Map<Integer, List<ObjectNode>> calls = new TreeMap<>();
		JsonNode finish = null;
		JsonNode matched = null;
		JsonNode usage = null;
		for (String payload : payloads) {
			if (payload.strip().equals("[DONE]")) {
				break;
			}
			JsonNode chunk = Golden.MAPPER.readTree(payload);
			for (JsonNode choice : chunk.path("choices")) {
				JsonNode delta = choice.path("delta");
				if (finish == null) {
					String thought = Reasoning.of(delta);
					reasoning.append((thought != null) ? thought : "");
					content.append(delta.path("content").asString(""));
					refusal.append(delta.path("refusal").asString(""));
					for (JsonNode call : delta.path("tool_calls")) {
						merge(callFor(calls.computeIfAbsent(call.path("index").asInt(), (i) -> new ArrayList<>()),
								call), call);
					}
				}
				if (finish == null && choice.hasNonNull("finish_reason")) {
					finish = choice.get("finish_reason");
					matched = choice.get("stop_reason");
				}
			}
			if (chunk.hasNonNull("usage")) {
				usage = chunk.get("usage");
				if (finish != null) {
					break;
				}
			}
		}
		ObjectNode message = Golden.MAPPER.createObjectNode().put("role", "assistant");
		message.put("content", content.toString());
		if (!reasoning.isEmpty()) {
			message.put("reasoning_content", reasoning.toString());
		}
		if (!refusal.isEmpty()) {
			message.put("refusal", refusal.toString());
		}
		if (!calls.isEmpty()) {
			ArrayNode toolCalls = message.putArray("tool_calls");
			calls.values().forEach((sameIndex) -> sameIndex.forEach(toolCalls::add));
		}
		ObjectNode response = Golden.MAPPER.createObjectNode().put("object", "chat.completion");
		ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
		choice.set("message", message);
		choice.set("finish_reason", finish);
		if (matched != null) {
			choice.set("stop_reason", matched);
		}
		if (usage != null) {
			response.set("usage", usage);
		}
		return response;
	}

	/**
	 * The call a fragment belongs to: the latest of its index, or a new one when the
	 * fragment names a function under a new id (Ollama gives every call index 0).
	 */
	private static ObjectNode callFor(List<ObjectNode> sameIndex, JsonNode fragment) {
		ObjectNode latest = sameIndex.isEmpty() ? null : sameIndex.get(sameIndex.size() - 1);
		boolean newId = latest != null && latest.hasNonNull("id") && fragment.hasNonNull("id")
				&& !latest.get("id").equals(fragment.get("id")) && fragment.path("function").hasNonNull("name");
		if (latest == null || newId) {
			latest = newCall();
			sameIndex.add(latest);
		}
		return latest;
	}

	private static ObjectNode newCall() {
		ObjectNode call = Golden.MAPPER.createObjectNode().put("type", "function");
		call.putObject("function").put("arguments", "");
		return call;
	}

	private static void merge(ObjectNode call, JsonNode fragment) {
		if (!call.has("id") && fragment.hasNonNull("id")) {
			call.set("id", fragment.get("id"));
		}
		ObjectNode function = (ObjectNode) call.get("function");
		JsonNode name = fragment.path("function").get("name");
		if (!function.has("name") && name != null && name.isString()) {
			function.set("name", name);
		}
		String arguments = fragment.path("function").path("arguments").asString("");
		function.put("arguments", function.get("arguments").stringValue() + arguments);
	}

}
