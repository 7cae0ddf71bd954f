package io.tollgate.gateway.error;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * The Anthropic error envelope:
 * {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}.
 */
public final class AnthropicErrors {

	private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

	private AnthropicErrors() {
	}

	public static byte[] body(String type, String message, String requestId) {
		return json(type, message, requestId).getBytes(StandardCharsets.UTF_8);
	}

	public static String json(String type, String message, String requestId) {
		StringBuilder json = error(new StringBuilder(96 + message.length()), type, message).append(",\"request_id\":");
		if (requestId != null) {
			quoted(json, requestId);
		}
		else {
			json.append("null");
		}
		return json.append('}').toString();
	}

	/**
	 * The same error as a server-sent {@code error} event, for failures after the stream
	 * started.
	 */
	public static byte[] event(String type, String message) {
		StringBuilder frame = error(new StringBuilder("event: error\ndata: "), type, message).append("}\n\n");
		return frame.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static StringBuilder error(StringBuilder json, String type, String message) {
		json.append("{\"type\":\"error\",\"error\":{\"type\":");
		quoted(json, type).append(",\"message\":");
		return quoted(json, message).append('}');
	}

	private static StringBuilder quoted(StringBuilder json, String value) {
		json.append('"');
		ENCODER.quoteAsString(value, json);
		return json.append('"');
	}

}
