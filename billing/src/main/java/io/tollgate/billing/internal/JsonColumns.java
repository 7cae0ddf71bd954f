package io.tollgate.billing.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the JSON documents billing keeps in text columns (model lists,
 * mappings, quirks).
 */
public final class JsonColumns {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonColumns() {
	}

	public static List<String> stringList(String json) {
		return (json == null || json.isBlank()) ? List.of()
				: List.copyOf(MAPPER.readValue(json, new TypeReference<List<String>>() {
				}));
	}

	public static Map<String, String> stringMap(String json) {
		if (json == null || json.isBlank()) {
			return Map.of();
		}
		return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
		});
	}

	public static Map<String, Object> objectMap(String json) {
		if (json == null || json.isBlank()) {
			return Map.of();
		}
		return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
		});
	}

	public static String write(Object value) {
		if (value == null || (value instanceof Map<?, ?> map && map.isEmpty())
				|| (value instanceof List<?> list && list.isEmpty())) {
			return null;
		}
		return MAPPER.writeValueAsString(value);
	}

}
