package io.tollgate.routing.response;

import io.tollgate.routing.json.JsonStrings;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.routing.usage.AnthropicUsage;
import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the usage of Anthropic responses and echoes the model the client asked for, in
 * one streaming pass over the bytes: the response is passed on as the upstream wrote it
 * but for the {@code model} value, instead of being parsed into a tree and written again.
 * Only the small {@code usage} object becomes a tree.
 */
public final class AnthropicResponses {

	/** Reads sub-trees in place: trailing content is checked once, at the end. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private AnthropicResponses() {
	}

	/**
	 * A whole (non-streaming) message: its top-level {@code model}, when there is one,
	 * replaced by the given model, and its top-level {@code usage} read.
	 * @param body the upstream's JSON
	 * @param model the model to echo
	 * @param known the usage known so far
	 * @return the rewritten message, or {@code null} when the body is not a JSON object
	 * (to be passed on unchanged)
	 * @throws tools.jackson.core.JacksonException when the body is not valid JSON
	 */
	public static Echo message(byte[] body, String model, TokenUsage known) {
		try (JsonParser parser = JSON.createParser(body)) {
			JsonToken root = parser.nextToken();
			if (root != JsonToken.START_OBJECT) {
				skipRoot(parser, root);
				return null;
			}
			Members members = members(parser, false, model);
			endOfInput(parser);
			return new Echo(members.splice(body, model), AnthropicUsage.merge(members.usage, known));
		}
	}

	/**
	 * The data of a {@code message_start} event: {@code message.model} replaced by the
	 * given model (added when absent), and {@code message.usage} read.
	 * @param data the event's data
	 * @param model the model to echo
	 * @param known the usage known so far
	 * @return the rewritten data, or {@code null} when it holds no {@code message} object
	 * (to be passed on unchanged)
	 * @throws tools.jackson.core.JacksonException when the data is not valid JSON
	 */
	public static Echo messageStart(byte[] data, String model, TokenUsage known) {
		try (JsonParser parser = JSON.createParser(data)) {
			JsonToken root = parser.nextToken();
			if (root != JsonToken.START_OBJECT) {
				skipRoot(parser, root);
				return null;
			}
			Members message = null;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				boolean isMessage = parser.currentName().equals("message");
				JsonToken value = parser.nextToken();
				if (isMessage) {
					// the last one wins, as in a tree
					message = (value == JsonToken.START_OBJECT) ? members(parser, true, model) : null;
					if (value != JsonToken.START_OBJECT) {
						skipValue(parser, value);
					}
				}
				else {
					skipValue(parser, value);
				}
			}
			expectEndObject(parser, token);
			endOfInput(parser);
			if (message == null) {
				return null;
			}
			return new Echo(message.splice(data, model), AnthropicUsage.merge(message.usage, known));
		}
	}

	/**
	 * The usage of a {@code message_delta} event: its top-level {@code usage}.
	 * @param data the event's data
	 * @param known the usage known so far
	 * @return the updated usage
	 * @throws tools.jackson.core.JacksonException when the data is not valid JSON
	 */
	public static TokenUsage messageDelta(String data, TokenUsage known) {
		try (JsonParser parser = JSON.createParser(data)) {
			JsonToken root = parser.nextToken();
			if (root != JsonToken.START_OBJECT) {
				skipRoot(parser, root);
				return known;
			}
			JsonNode usage = null;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				boolean isUsage = parser.currentName().equals("usage");
				JsonToken value = parser.nextToken();
				if (isUsage) {
					usage = JSON.readTree(parser);
				}
				else {
					skipValue(parser, value);
				}
			}
			expectEndObject(parser, token);
			endOfInput(parser);
			return AnthropicUsage.merge(usage, known);
		}
	}

	/**
	 * Reads the members of the object whose start the parser is on, up to its end: where
	 * the {@code model} values sit and the last {@code usage} value.
	 */
	private static Members members(JsonParser parser, boolean addModel, String model) {
		Members members = new Members(addModel);
		JsonToken token;
		while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
			members.count++;
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals("model")) {
				int start = offset(parser.currentTokenLocation().getByteOffset());
				skipValue(parser, value);
				members.models.add(new int[] { start, offset(parser.currentLocation().getByteOffset()) });
			}
			else if (name.equals("usage")) {
				members.usage = JSON.readTree(parser);
			}
			else {
				skipValue(parser, value);
			}
		}
		expectEndObject(parser, token);
		members.end = offset(parser.currentTokenLocation().getByteOffset());
		return members;
	}

	private static void skipValue(JsonParser parser, JsonToken value) {
		if (value != null && value.isStructStart()) {
			parser.skipChildren();
		}
		else {
			parser.finishToken();
		}
	}

	private static void skipRoot(JsonParser parser, JsonToken root) {
		if (root != null) {
			skipValue(parser, root);
			endOfInput(parser);
		}
	}

	private static void expectEndObject(JsonParser parser, JsonToken token) {
		if (token != JsonToken.END_OBJECT) {
			throw new StreamReadException(parser, "Unexpected token " + token + " in an object");
		}
	}

	private static void endOfInput(JsonParser parser) {
		JsonToken trailing = parser.nextToken();
		if (trailing != null) {
			throw new StreamReadException(parser, "Trailing token (of type " + trailing + ") found after value");
		}
	}

	private static int offset(long byteOffset) {
		return Math.toIntExact(byteOffset);
	}

	/**
	 * A rewritten response.
	 *
	 * @param json the bytes to pass on
	 * @param usage the usage known after reading it
	 */
	public record Echo(byte[] json, TokenUsage usage) {
	}

	private static final class Members {

		private final boolean addModel;

		private final List<int[]> models = new ArrayList<>(1);

		private JsonNode usage;

		private int count;

		private int end;

		private Members(boolean addModel) {
			this.addModel = addModel;
		}

		private byte[] splice(byte[] json, String model) {
			if (this.models.isEmpty() && !this.addModel) {
				return json;
			}
			byte[] quoted = JsonStrings.quote(model);
			ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + quoted.length + 16);
			int pos = 0;
			for (int[] span : this.models) {
				out.write(json, pos, span[0] - pos);
				out.writeBytes(quoted);
				pos = span[1];
			}
			if (this.models.isEmpty()) {
				out.write(json, 0, this.end);
				if (this.count > 0) {
					out.write(',');
				}
				out.writeBytes(MODEL_MEMBER);
				out.writeBytes(quoted);
				pos = this.end;
			}
			out.write(json, pos, json.length - pos);
			return out.toByteArray();
		}

		private static final byte[] MODEL_MEMBER = { '"', 'm', 'o', 'd', 'e', 'l', '"', ':' };

	}

}
