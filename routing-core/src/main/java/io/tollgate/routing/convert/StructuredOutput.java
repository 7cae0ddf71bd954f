package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code output_config.format} (or the beta's top-level {@code output_format}) as a
 * strict {@code response_format} (C126). Strict mode needs every object schema closed
 * ({@code additionalProperties:false}) with every property required, at every depth.
 */
final class StructuredOutput {

	private static final List<String> SCHEMA_LISTS = List.of("anyOf", "oneOf", "allOf", "prefixItems");

	private static final List<String> SCHEMA_MAPS = List.of("properties", "$defs", "definitions");

	private StructuredOutput() {
	}

	/** The {@code response_format}, or {@code null} when the request asks for none. */
	static ObjectNode responseFormat(JsonNode request) {
		String path = "output_config.format";
		JsonNode format = Json.object(Json.object(request, "output_config"), "format");
		if (format == null) {
			path = "output_format";
			format = Json.object(request, "output_format");
		}
		if (format == null) {
			return null;
		}
		if (!"json_schema".equals(Json.text(format, "type"))) {
			throw ConversionException.at(path + ".type", "Input should be 'json_schema'");
		}
		JsonNode schema = Json.object(format, "schema");
		if (schema == null) {
			throw ConversionException.at(path + ".schema", "Field required");
		}
		ObjectNode strict = (ObjectNode) schema.deepCopy();
		close(strict);
		ObjectNode responseFormat = Json.object().put("type", "json_schema");
		ObjectNode jsonSchema = responseFormat.putObject("json_schema").put("name", "structured_output");
		jsonSchema.set("schema", strict);
		jsonSchema.put("strict", true);
		return responseFormat;
	}

	private static void close(JsonNode node) {
		if (!node.isObject()) {
			return;
		}
		ObjectNode schema = (ObjectNode) node;
		JsonNode properties = Json.object(schema, "properties");
		if (isObjectType(schema.get("type")) || properties != null) {
			schema.put("additionalProperties", false);
			ArrayNode required = Json.array();
			List<String> names = (properties != null) ? new ArrayList<>(properties.propertyNames()) : List.of();
			names.forEach(required::add);
			schema.set("required", required);
		}
		for (String key : SCHEMA_MAPS) {
			JsonNode map = Json.object(schema, key);
			if (map != null) {
				for (Map.Entry<String, JsonNode> entry : map.properties()) {
					close(entry.getValue());
				}
			}
		}
		for (String key : SCHEMA_LISTS) {
			JsonNode list = Json.array(schema, key);
			if (list != null) {
				list.forEach(StructuredOutput::close);
			}
		}
		JsonNode items = schema.get("items");
		if (items != null) {
			close(items);
		}
	}

	private static boolean isObjectType(JsonNode type) {
		if (type == null) {
			return false;
		}
		if (type.isString()) {
			return "object".equals(type.stringValue());
		}
		for (JsonNode item : type) {
			if ("object".equals(item.asString(""))) {
				return true;
			}
		}
		return false;
	}

}
