package io.tollgate.routing.convert;

import java.util.Objects;

import io.tollgate.routing.sse.SseEvent;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error in Anthropic's terms (C43, C44).
 *
 * @param status the HTTP status to answer with
 * @param type the {@code error.type}, such as {@code rate_limit_error}
 * @param message the {@code error.message}
 * @param retryAfter the {@code retry-after} header value to send, in seconds, or
 * {@code null} for none (C10)
 */
public record AnthropicError(int status, String type, String message, String retryAfter) {

	public AnthropicError {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(message, "message");
	}

	/**
	 * The error response body,
	 * {@code {"type":"error","error":{"type","message"},"request_id"}} (C43, C9).
	 * @param requestId the gateway's request id, or {@code null}
	 * @return compact JSON
	 */
	public String toJson(String requestId) {
		ObjectNode body = envelope();
		if (requestId != null) {
			body.put("request_id", requestId);
		}
		else {
			body.putNull("request_id");
		}
		return Json.write(body);
	}

	/**
	 * The error as a mid-stream {@code error} event, after which nothing else is sent
	 * (C97, C144).
	 */
	public SseEvent toSseEvent() {
		return new SseEvent("error", Json.write(envelope()));
	}

	private ObjectNode envelope() {
		ObjectNode body = Json.object().put("type", "error");
		body.putObject("error").put("type", this.type).put("message", this.message);
		return body;
	}

}
