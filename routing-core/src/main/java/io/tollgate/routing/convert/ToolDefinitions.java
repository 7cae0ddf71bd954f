package io.tollgate.routing.convert;

import java.util.HashSet;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code tools}, {@code tool_choice} and {@code disable_parallel_tool_use} for OpenAI.
 * Custom tools become functions whose {@code parameters} are exactly the
 * {@code input_schema} (C117: no {@code type:"custom"} or other tool keys leak in). Typed
 * Anthropic tools ({@code web_search_*}, {@code bash_*}, {@code computer_*}, ...) run on
 * Anthropic's side or have no schema, so they are dropped. Without any function left, no
 * tool fields are sent.
 */
final class ToolDefinitions {

	private ToolDefinitions() {
	}

	static void apply(JsonNode request, ObjectNode body, ToolNameMap names, OpenAiQuirks quirks) {
		JsonNode tools = request.get("tools");
		if (tools == null || tools.isNull()) {
			return;
		}
		if (!tools.isArray()) {
			throw ConversionException.at("tools", "Input should be a valid list");
		}
		ArrayNode functions = Json.array();
		Set<String> declared = new HashSet<>();
		for (int i = 0; i < tools.size(); i++) {
			JsonNode tool = tools.get(i);
			String type = Json.text(tool, "type");
			if (type == null || "custom".equals(type)) {
				functions.add(function(tool, "tools." + i, names, declared));
			}
		}
		if (functions.isEmpty()) {
			return;
		}
		body.set("tools", functions);
		toolChoice(request.get("tool_choice"), body, names, declared, quirks);
	}

	private static ObjectNode function(JsonNode tool, String path, ToolNameMap names, Set<String> declared) {
		String name = Json.text(tool, "name");
		if (name == null) {
			throw ConversionException.at(path + ".name", "Field required");
		}
		declared.add(name);
		ObjectNode function = Json.object().put("name", names.toUpstream(name));
		String description = Json.text(tool, "description");
		if (description != null) {
			function.put("description", description);
		}
		JsonNode schema = Json.object(tool, "input_schema");
		ObjectNode parameters = (schema != null) ? (ObjectNode) schema.deepCopy() : Json.object();
		if (!parameters.has("type")) {
			parameters.put("type", "object");
		}
		if (schema == null) {
			parameters.putObject("properties");
		}
		function.set("parameters", parameters);
		ObjectNode wrapper = Json.object().put("type", "function");
		wrapper.set("function", function);
		return wrapper;
	}

	/** C119, C120. */
	private static void toolChoice(JsonNode choice, ObjectNode body, ToolNameMap names, Set<String> declared,
			OpenAiQuirks quirks) {
		if (choice == null || choice.isNull()) {
			return;
		}
		String type = Json.text(choice, "type");
		switch ((type != null) ? type : "") {
			case "auto" -> body.put("tool_choice", "auto");
			case "any" -> body.put("tool_choice", "required");
			case "none" -> body.put("tool_choice", "none");
			case "tool" -> {
				String name = Json.text(choice, "name");
				if (name == null || !declared.contains(name)) {
					throw ConversionException.at("tool_choice.name",
							(name == null) ? "Field required" : "Tool '" + name + "' is not among the custom tools");
				}
				ObjectNode named = body.putObject("tool_choice").put("type", "function");
				named.putObject("function").put("name", names.toUpstream(name));
			}
			default ->
				throw ConversionException.at("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
		}
		boolean disableParallel = choice.path("disable_parallel_tool_use").asBoolean(false);
		if (disableParallel && quirks.acceptsParallelToolCalls() && !"none".equals(type)) {
			body.put("parallel_tool_calls", false);
		}
	}

}
