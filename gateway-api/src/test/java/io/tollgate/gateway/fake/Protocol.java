package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire protocol a request arrived in; decides the shape of errors the fake sends
 * back.
 */
public enum Protocol {

	/**
	 * Anthropic Messages: errors are
	 * {@code {"type":"error","error":{"type","message"},"request_id"}}.
	 */
	ANTHROPIC {
		@Override
		byte[] errorBody(String type, String message, String requestId) {
			ObjectNode body = JSON.createObjectNode().put("type", "error");
			body.putObject("error").put("type", type).put("message", message);
			body.put("request_id", requestId);
			return bytes(body);
		}
	},

	/**
	 * OpenAI Chat Completions: errors are
	 * {@code {"error":{"message","type","param","code"}}}.
	 */
	OPENAI {
		@Override
		byte[] errorBody(String type, String message, String requestId) {
			ObjectNode body = JSON.createObjectNode();
			ObjectNode error = body.putObject("error").put("message", message).put("type", type).putNull("param");
			if ("rate_limit_exceeded".equals(type) || "requests".equals(type)) {
				error.put("code", "rate_limit_exceeded");
			}
			else {
				error.putNull("code");
			}
			return bytes(body);
		}
	};

	static final JsonMapper JSON = JsonMapper.shared();

	/** The error body in this protocol's envelope. */
	abstract byte[] errorBody(String type, String message, String requestId);

	/** The header that carries the request id in this protocol. */
	String requestIdHeader() {
		return (this == ANTHROPIC) ? "request-id" : "x-request-id";
	}

	static byte[] bytes(Object node) {
		return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
	}

}
