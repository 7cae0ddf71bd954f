package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.node.ObjectNode;

/**
 * Builds raw SSE frames for {@link Script#streamEvents}: each frame ends with its blank
 * line.
 */
public final class Sse {

	private Sse() {
	}

	/** An Anthropic-style frame: {@code event: name}, one {@code data:} line. */
	public static String event(String name, String json) {
		return "event: " + name + "\ndata: " + json + "\n\n";
	}

	/** An OpenAI-style frame: a {@code data:} line only. */
	public static String data(String json) {
		return "data: " + json + "\n\n";
	}

	/** The OpenAI end-of-stream marker, {@code data: [DONE]}. */
	public static String done() {
		return data("[DONE]");
	}

	/**
	 * An Anthropic in-stream error event, e.g.
	 * {@code error("overloaded_error", "Overloaded")}.
	 */
	public static String error(String type, String message) {
		ObjectNode body = Protocol.JSON.createObjectNode().put("type", "error");
		body.putObject("error").put("type", type).put("message", message);
		return event("error", body.toString());
	}

	static byte[] bytes(String frame) {
		return frame.getBytes(StandardCharsets.UTF_8);
	}

}
