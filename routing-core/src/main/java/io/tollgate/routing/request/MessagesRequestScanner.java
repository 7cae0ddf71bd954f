package io.tollgate.routing.request;

import io.tollgate.routing.request.ScannedRequest.Span;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Messages (or count_tokens) request in one streaming pass: checks the fields
 * Tollgate relies on, and notes where {@code model} and {@code gateway} sit. Everything
 * else is skipped, not parsed into a tree, so the cost stays close to one scan of the
 * bytes.
 * <p>
 * A request must mean one thing to Tollgate and to the upstream: a member that appears
 * twice in any object, text that is not valid Unicode, and values Tollgate would store
 * but could not (see {@link RequestStrings}) are refused. Parser messages never reach the
 * client; the refusal names the field in the Anthropic style.
 */
public final class MessagesRequestScanner {

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final String DUPLICATE = "Duplicate Object property";

	private MessagesRequestScanner() {
	}

	/**
	 * Scans a request body.
	 * @param body the raw JSON
	 * @param requireMaxTokens whether {@code max_tokens} is required (Messages) or not
	 * (count_tokens)
	 * @return what was found
	 * @throws InvalidRequest when the body is not a JSON object of valid Unicode without
	 * duplicate members, or a required field is missing, mistyped or out of bounds
	 */
	public static ScannedRequest scan(byte[] body, boolean requireMaxTokens) {
		JsonUnicode.check(body);
		JsonParser parser = MAPPER.createParser(body);
		try (parser) {
			return scan(parser, body, requireMaxTokens);
		}
		catch (JacksonException ex) {
			throw translate(parser, ex);
		}
	}

	private static InvalidRequest translate(JsonParser parser, JacksonException ex) {
		String original = ex.getOriginalMessage();
		if (ex instanceof StreamReadException && original != null && original.startsWith(DUPLICATE)) {
			return InvalidRequest.duplicate(path(parser.streamReadContext()));
		}
		TokenStreamLocation location = ex.getLocation();
		if (location == null || location.getLineNr() < 1) {
			return InvalidRequest.notJson("malformed or too deeply nested");
		}
		return InvalidRequest.notJson("unexpected or malformed content at line " + location.getLineNr() + ", column "
				+ location.getColumnNr());
	}

	/** The dotted path of the member the parser is at: {@code metadata.user_id}. */
	private static String path(TokenStreamContext context) {
		String pointer = context.pathAsPointer().toString();
		if (pointer.isEmpty()) {
			return "body";
		}
		return pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~");
	}

	private static ScannedRequest scan(JsonParser parser, byte[] body, boolean requireMaxTokens) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			throw InvalidRequest.notJson("expected a JSON object");
		}
		String model = null;
		Span modelSpan = null;
		boolean stream = false;
		long maxTokens = -1;
		boolean messagesSeen = false;
		Span opening = null;
		boolean[] images = new boolean[1];
		String userId = null;
		boolean thinking = false;
		JsonNode gateway = null;
		Span gatewaySpan = null;
		int previousEnd = -1;
		int gatewayNameStart = -1;
		boolean gatewayWasFirst = false;
		JsonToken token;
		while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			int nameStart = offset(parser.currentTokenLocation().getByteOffset());
			if (gatewayWasFirst && gatewaySpan != null && gatewaySpan.end() == -1) {
				gatewaySpan = new Span(gatewayNameStart, nameStart);
			}
			JsonToken value = parser.nextToken();
			int valueStart = offset(parser.currentTokenLocation().getByteOffset());
			switch (name) {
				case "model" -> {
					if (value != JsonToken.VALUE_STRING) {
						throw InvalidRequest.of("model", "Input should be a valid string");
					}
					model = RequestStrings.model("model", parser.getString());
					modelSpan = new Span(valueStart, offset(parser.currentLocation().getByteOffset()));
				}
				case "stream" -> {
					if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE
							&& value != JsonToken.VALUE_NULL) {
						throw InvalidRequest.of("stream", "Input should be a valid boolean");
					}
					stream = value == JsonToken.VALUE_TRUE;
				}
				case "max_tokens" -> {
					maxTokens = integer(parser, value, "max_tokens");
					if (maxTokens < 0) {
						throw InvalidRequest.of("max_tokens", "Input should be greater than or equal to 0");
					}
				}
				case "messages" -> {
					if (value != JsonToken.START_ARRAY) {
						throw InvalidRequest.of("messages", "Input should be a valid list");
					}
					messagesSeen = true;
					opening = scanMessages(parser, images);
				}
				case "metadata" -> userId = scanUserId(parser, value);
				case "thinking" -> thinking = scanThinking(parser, value);
				case "gateway" -> {
					if (value != JsonToken.START_OBJECT) {
						throw InvalidRequest.of("gateway", "Input should be a valid object");
					}
					gateway = MAPPER.readTree(parser);
					int end = offset(parser.currentLocation().getByteOffset());
					if (previousEnd >= 0) {
						gatewaySpan = new Span(previousEnd, end);
					}
					else {
						gatewayWasFirst = true;
						gatewayNameStart = nameStart;
						gatewaySpan = new Span(nameStart, -1);
					}
				}
				default -> {
					parser.skipChildren();
					parser.finishToken();
				}
			}
			previousEnd = offset(parser.currentLocation().getByteOffset());
		}
		if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
			throw InvalidRequest.notJson("unexpected content after the request object");
		}
		if (gatewaySpan != null && gatewaySpan.end() == -1) {
			gatewaySpan = new Span(gatewaySpan.start(), previousEnd);
		}
		if (model == null) {
			throw InvalidRequest.fieldRequired("model");
		}
		if (!messagesSeen) {
			throw InvalidRequest.fieldRequired("messages");
		}
		if (requireMaxTokens && maxTokens < 0) {
			throw InvalidRequest.fieldRequired("max_tokens");
		}
		return new ScannedRequest(body, model, stream, maxTokens, userId, thinking, images[0], gateway, opening,
				modelSpan, gatewaySpan);
	}

	/**
	 * Walks the messages: notes where the first one sits and whether any content block
	 * (tool results included) is an image, which not every account accepts.
	 */
	private static Span scanMessages(JsonParser parser, boolean[] images) {
		Span opening = null;
		JsonToken element;
		while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
			int start = offset(parser.currentTokenLocation().getByteOffset());
			if (element != JsonToken.START_OBJECT) {
				throw InvalidRequest.of("messages", "Input should be a list of message objects");
			}
			if (images[0]) {
				parser.skipChildren();
			}
			else {
				images[0] = containsImage(parser);
			}
			if (opening == null) {
				opening = new Span(start, offset(parser.currentLocation().getByteOffset()));
			}
		}
		return opening;
	}

	/**
	 * Reads to the end of the current object or array, telling whether a member
	 * {@code "type": "image"} sits anywhere inside.
	 */
	private static boolean containsImage(JsonParser parser) {
		boolean found = false;
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				break;
			}
			if (token.isStructStart()) {
				depth++;
			}
			else if (token.isStructEnd()) {
				depth--;
			}
			else if (token == JsonToken.PROPERTY_NAME && "type".equals(parser.currentName())) {
				if (parser.nextToken() == JsonToken.VALUE_STRING && "image".equals(parser.getString())) {
					found = true;
				}
				else if (parser.currentToken().isStructStart()) {
					depth++;
				}
			}
		}
		return found;
	}

	/**
	 * An integer, also when written as an integral float ({@code 1024.0}, {@code 1e3}),
	 * as the Anthropic API takes it; {@code 1024.5} is not one.
	 */
	private static long integer(JsonParser parser, JsonToken value, String path) {
		try {
			if (value == JsonToken.VALUE_NUMBER_INT) {
				return parser.getLongValue();
			}
			if (value == JsonToken.VALUE_NUMBER_FLOAT) {
				return parser.getDecimalValue().longValueExact();
			}
		}
		catch (InputCoercionException | ArithmeticException ex) {
			// a fraction, or beyond a long: not an integer the API would take either
		}
		throw InvalidRequest.of(path, "Input should be a valid integer");
	}

	/**
	 * {@code metadata}: an object or null; its {@code user_id} a bounded string or null,
	 * since it keys sticky sessions.
	 */
	private static String scanUserId(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value != JsonToken.START_OBJECT) {
			throw InvalidRequest.of("metadata", "Input should be a valid dictionary");
		}
		String userId = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken inner = parser.nextToken();
			if (field.equals("user_id")) {
				if (inner == JsonToken.VALUE_STRING) {
					userId = RequestStrings.storable("metadata.user_id", parser.getString(),
							RequestStrings.USER_ID_MAX_LENGTH);
				}
				else if (inner != JsonToken.VALUE_NULL) {
					throw InvalidRequest.of("metadata.user_id", "Input should be a valid string");
				}
			}
			else {
				parser.skipChildren();
			}
		}
		return userId;
	}

	private static boolean scanThinking(JsonParser parser, JsonToken value) {
		if (value != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return false;
		}
		boolean on = false;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken inner = parser.nextToken();
			if (field.equals("type") && inner == JsonToken.VALUE_STRING) {
				String type = parser.getString();
				on = type.equals("enabled") || type.equals("adaptive");
			}
			else {
				parser.skipChildren();
			}
		}
		return on;
	}

	private static int offset(long byteOffset) {
		return Math.toIntExact(byteOffset);
	}

}
