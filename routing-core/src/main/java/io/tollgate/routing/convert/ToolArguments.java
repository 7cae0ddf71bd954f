package io.tollgate.routing.convert;

import java.util.ArrayDeque;
import java.util.Deque;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tool-call arguments as a JSON object, whatever the upstream sent (C130, C57:
 * {@code input} is never a string). In order: strict JSON; Jackson's lenient reader
 * (single quotes, unquoted names, trailing commas, comments, raw control characters); the
 * same after closing what a truncated text left open (strings, arrays, objects), then
 * after also cutting back to the last complete member. A string holding JSON (double
 * encoding) is unwrapped once. Anything that still is not an object becomes {@code {}}.
 */
final class ToolArguments {

	private static final JsonMapper LENIENT = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES,
				JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
				JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
				JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
				JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private ToolArguments() {
	}

	/** The arguments as an object node. */
	static ObjectNode parse(String raw) {
		JsonNode node = repair(raw);
		if (node != null && node.isString()) {
			node = repair(node.stringValue());
		}
		return (node != null && node.isObject()) ? (ObjectNode) node : Json.object();
	}

	/** The arguments as compact JSON text of an object, for {@code input_json_delta}. */
	static String normalise(String raw) {
		return Json.write(parse(raw));
	}

	private static JsonNode repair(String raw) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		JsonNode node = read(raw);
		if (node == null) {
			Truncation truncation = Truncation.scan(raw);
			node = read(truncation.closed());
			if (node == null && truncation.lastComma() > 0) {
				node = read(Truncation.scan(raw.substring(0, truncation.lastComma())).closed());
			}
		}
		return node;
	}

	private static JsonNode read(String text) {
		try {
			return LENIENT.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * What a JSON text left open where it ends, found in one pass without a regex.
	 *
	 * @param closed the text with its open string, arrays and objects closed
	 * @param lastComma the position of the last comma outside strings, or -1
	 */
	private record Truncation(String closed, int lastComma) {

		static Truncation scan(String text) {
			Deque<Character> closers = new ArrayDeque<>();
			char quote = 0;
			boolean escaped = false;
			int lastComma = -1;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (quote != 0) {
					if (escaped) {
						escaped = false;
					}
					else if (c == '\\') {
						escaped = true;
					}
					else if (c == quote) {
						quote = 0;
					}
					continue;
				}
				switch (c) {
					case '"', '\'' -> quote = c;
					case '{' -> closers.push('}');
					case '[' -> closers.push(']');
					case '}', ']' -> closers.poll();
					case ',' -> lastComma = i;
					default -> {
					}
				}
			}
			StringBuilder closed = new StringBuilder(text.stripTrailing());
			if (escaped) {
				closed.setLength(closed.length() - 1);
			}
			if (quote != 0) {
				closed.append(quote);
			}
			char last = closed.isEmpty() ? 0 : closed.charAt(closed.length() - 1);
			if (quote == 0 && last == ':') {
				closed.append("null");
			}
			closers.forEach(closed::append);
			return new Truncation(closed.toString(), lastComma);
		}

	}

}
