package io.tollgate.routing.intent;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one short, structured request that asks the router model which tag a request
 * matches, how complex it is and, when context optimisation is on, what of the context
 * the current turn needs. The answer is forced through a {@code classify} tool, which
 * both platforms support.
 */
public final class RouterPrompt {

	/** The tool the router model must call. */
	public static final String TOOL = "classify";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private RouterPrompt() {
	}

	/**
	 * Builds the request.
	 * @param model the router model
	 * @param options what to decide
	 * @param digest what the request holds
	 * @return a Messages request body
	 */
	public static byte[] request(String model, IntentOptions options, RequestDigest digest) {
		ObjectNode request = JSON.createObjectNode();
		request.put("model", model);
		request.put("max_tokens", 1024);
		request.put("temperature", 0);
		request.put("system", "You are the router of an LLM API gateway. Read the request digest and call the " + TOOL
				+ " tool exactly once. Complexity runs from 0 (a trivial lookup or chat) to 1 (hard, "
				+ "multi-step reasoning or large code changes). Scores run from 0 (not needed for the current turn) "
				+ "to 1 (needed).");
		ObjectNode tool = request.putArray("tools").addObject();
		tool.put("name", TOOL);
		tool.put("description", "Records how the request should be routed.");
		ObjectNode schema = tool.putObject("input_schema");
		schema.put("type", "object");
		ObjectNode properties = schema.putObject("properties");
		ArrayNode required = schema.putArray("required");
		properties.putObject("complexity").put("type", "number");
		required.add("complexity");
		if (!options.tags().isEmpty()) {
			ArrayNode names = properties.putObject("tag").put("type", "string").putArray("enum");
			options.tags().forEach((tag) -> names.add(tag.name()));
			required.add("tag");
		}
		if (options.history() != null) {
			scores(properties, "history", "index", "integer");
		}
		if (options.tools() != null) {
			scores(properties, "tools", "name", "string");
		}
		if (options.media()) {
			scores(properties, "media", "index", "integer");
		}
		ObjectNode choice = request.putObject("tool_choice");
		choice.put("type", "tool");
		choice.put("name", TOOL);
		ObjectNode message = request.putArray("messages").addObject();
		message.put("role", "user");
		message.put("content", digest(options, digest));
		return JSON.writeValueAsBytes(request);
	}

	private static void scores(ObjectNode properties, String name, String key, String keyType) {
		ObjectNode array = properties.putObject(name);
		array.put("type", "array");
		ObjectNode item = array.putObject("items");
		item.put("type", "object");
		ObjectNode itemProperties = item.putObject("properties");
		itemProperties.putObject(key).put("type", keyType);
		itemProperties.putObject("score").put("type", "number");
	}

	static String digest(IntentOptions options, RequestDigest digest) {
		StringBuilder text = new StringBuilder();
		if (!options.tags().isEmpty()) {
			text.append("Tags:\n");
			options.tags()
				.forEach((tag) -> text.append("- ")
					.append(tag.name())
					.append(": ")
					.append(tag.description())
					.append('\n'));
		}
		if (options.history() != null) {
			text.append("\nEarlier messages (score each index):\n");
			digest.messages()
				.forEach((preview) -> text.append('[')
					.append(preview.index())
					.append("] ")
					.append(preview.role())
					.append(": ")
					.append(preview.preview().replace('\n', ' '))
					.append('\n'));
		}
		if (options.tools() != null) {
			text.append("\nTools (score each name):\n");
			digest.tools()
				.forEach((tool) -> text.append("- ")
					.append(tool.name())
					.append(": ")
					.append(tool.description())
					.append('\n'));
		}
		if (options.media()) {
			text.append("\nImages (score each index):\n");
			for (int i = 0; i < digest.images().size(); i++) {
				text.append('[').append(i).append("] in message ").append(digest.images().get(i)[0]).append('\n');
			}
		}
		text.append("\nCurrent user turn:\n<<<\n").append(digest.lastUserText()).append("\n>>>\n");
		return text.toString();
	}

}
