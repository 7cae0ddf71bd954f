package io.tollgate.routing.convert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the conversion layer and null-safe accessors for reading loosely
 * typed wire JSON.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private Json() {
	}

	static ObjectNode object() {
		return NODES.objectNode();
	}

	static ArrayNode array() {
		return NODES.arrayNode();
	}

	static JsonNode string(String value) {
		return NODES.stringNode(value);
	}

	/**
	 * The string value of {@code node.field}, or {@code null} when it is missing or not a
	 * string.
	 */
	static String text(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/**
	 * The string value of {@code node.field}, or {@code ""} when it is missing or not a
	 * string.
	 */
	static String textOrEmpty(JsonNode node, String field) {
		String text = text(node, field);
		return (text != null) ? text : "";
	}

	/**
	 * The object at {@code node.field}, or {@code null} when it is missing or not an
	 * object.
	 */
	static JsonNode object(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isObject()) ? value : null;
	}

	/**
	 * The array at {@code node.field}, or {@code null} when it is missing or not an
	 * array.
	 */
	static JsonNode array(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isArray()) ? value : null;
	}

	static boolean isEmpty(String value) {
		return value == null || value.isEmpty();
	}

	static String write(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

}
