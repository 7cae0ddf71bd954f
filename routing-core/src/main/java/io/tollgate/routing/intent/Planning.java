package io.tollgate.routing.intent;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The planner's part: a short request for a plan, and the plan put in front of the
 * executor as part of its system prompt.
 */
public final class Planning {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The longest plan kept, in characters. */
	static final int MAX_PLAN = 8000;

	private Planning() {
	}

	/** The request that asks the planner for a plan of the current turn. */
	public static byte[] request(String planner, RequestDigest digest) {
		ObjectNode request = JSON.createObjectNode();
		request.put("model", planner);
		request.put("max_tokens", 1024);
		request.put("system", "Write a short, numbered plan (at most 8 steps) another model will follow to answer "
				+ "the request below. Only the plan, no preamble.");
		ObjectNode message = request.putArray("messages").addObject();
		message.put("role", "user");
		message.put("content", digest.lastUserText());
		return JSON.writeValueAsBytes(request);
	}

	/** The text of the planner's answer, or {@code null} when it has none. */
	public static String plan(byte[] response) {
		try {
			JsonNode answer = JSON.readTree(response);
			StringBuilder plan = new StringBuilder();
			for (JsonNode block : answer.path("content")) {
				if (block.path("type").asString("").equals("text")) {
					plan.append(block.path("text").asString(""));
				}
			}
			String text = plan.toString().strip();
			return text.isEmpty() ? null : RequestDigest.cut(text, MAX_PLAN);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** Adds the plan to the end of the request's system prompt. */
	public static void insert(ObjectNode request, String plan) {
		String text = "<plan>\n" + plan + "\n</plan>";
		JsonNode system = request.get("system");
		if (system instanceof ArrayNode blocks) {
			ObjectNode block = blocks.addObject();
			block.put("type", "text");
			block.put("text", text);
		}
		else if (system != null && system.isString() && !system.stringValue().isEmpty()) {
			request.put("system", system.stringValue() + "\n\n" + text);
		}
		else {
			request.put("system", text);
		}
	}

}
