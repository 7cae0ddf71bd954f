package io.tollgate.routing.request;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rewrites the top-level {@code max_tokens} of a request body in place, like the
 * {@code model}: every other byte stays as the client sent it.
 */
public final class MaxTokensRewrite {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private MaxTokensRewrite() {
	}

	/**
	 * The body with its top-level {@code max_tokens} value replaced.
	 * @param body a JSON object with a numeric {@code max_tokens}
	 * @param maxTokens the new value
	 * @return the rewritten body, or the body itself when it has no top-level
	 * {@code max_tokens}
	 */
	public static byte[] apply(byte[] body, long maxTokens) {
		try (JsonParser parser = MAPPER.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return body;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				boolean found = "max_tokens".equals(parser.currentName());
				JsonToken value = parser.nextToken();
				if (found && value.isNumeric()) {
					int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
					int end = Math.toIntExact(parser.currentLocation().getByteOffset());
					byte[] number = Long.toString(maxTokens).getBytes(StandardCharsets.US_ASCII);
					ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + number.length);
					out.write(body, 0, start);
					out.writeBytes(number);
					out.write(body, end, body.length - end);
					return out.toByteArray();
				}
				parser.skipChildren();
			}
			return body;
		}
	}

}
