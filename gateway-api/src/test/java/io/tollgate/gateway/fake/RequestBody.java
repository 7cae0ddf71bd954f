package io.tollgate.gateway.fake;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The few top-level fields of a Messages or Chat Completions body that change the fake's
 * answer, read with a streaming parser that skips everything else.
 *
 * @param valid whether the body is a JSON object
 * @param model the {@code model} field, or {@code null}
 * @param stream the {@code stream} field
 * @param includeUsage {@code stream_options.include_usage} (OpenAI)
 */
record RequestBody(boolean valid, String model, boolean stream, boolean includeUsage) {

	private static final JsonFactory FACTORY = new JsonFactory();

	static final RequestBody INVALID = new RequestBody(false, null, false, false);

	static RequestBody scan(byte[] body) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return INVALID;
			}
			String model = null;
			boolean stream = false;
			boolean includeUsage = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "model" -> model = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
					case "stream" -> stream = (value == JsonToken.VALUE_TRUE);
					case "stream_options" -> includeUsage = includeUsage(parser, value);
					default -> parser.skipChildren();
				}
			}
			return new RequestBody(true, model, stream, includeUsage);
		}
		catch (JacksonException ex) {
			return INVALID;
		}
	}

	private static boolean includeUsage(JsonParser parser, JsonToken value) {
		boolean include = false;
		if (value != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return false;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if ("include_usage".equals(name)) {
				include = (token == JsonToken.VALUE_TRUE);
			}
			parser.skipChildren();
		}
		return include;
	}

}
