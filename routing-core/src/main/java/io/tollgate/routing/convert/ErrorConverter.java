package io.tollgate.routing.convert;

import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Converts OpenAI-compatible upstream errors into Anthropic errors (C48, C144). Status
 * mapping: 400 {@code invalid_request_error}, 401 {@code authentication_error}, 402
 * {@code billing_error}, 403 {@code permission_error}, 404 {@code not_found_error}, 408
 * and 504 {@code timeout_error} (504), 413 {@code request_too_large}, 429
 * {@code rate_limit_error}, 503 and 529 {@code overloaded_error} (529: the upstream says
 * it is overloaded), other 4xx {@code invalid_request_error} with their status, and 500,
 * 502 and everything else {@code api_error} (500: a broken upstream is not an overload,
 * and the SDKs retry every 5xx anyway). {@code retry-after} (or {@code retry-after-ms})
 * is kept for 429 and 529. A context-length error gets Anthropic's
 * {@code prompt is too long} wording, which Claude Code reacts to. Thread-safe.
 */
public final class ErrorConverter {

	private static final int MAX_MESSAGE_LENGTH = 1000;

	/**
	 * Converts an upstream error response.
	 * @param status the upstream HTTP status
	 * @param body the upstream body, JSON or not, possibly empty
	 * @param headers the upstream response headers, any case
	 * @return the Anthropic error
	 */
	public AnthropicError fromOpenAi(int status, String body, Map<String, String> headers) {
		JsonNode json = parse(body);
		JsonNode error = (json != null) ? json.get("error") : null;
		String message = message(json, error);
		if (message == null && body != null && !body.isBlank() && json == null) {
			message = body.strip();
		}
		return build(status, message, error, headers);
	}

	/**
	 * Converts the {@code error} member of an upstream stream chunk.
	 * @param error the error object (or string) the upstream sent mid-stream
	 * @return the Anthropic error, for {@link AnthropicError#toSseEvent()}
	 */
	public AnthropicError fromOpenAiStreamError(JsonNode error) {
		return build(statusOf(error), message(null, error), error, Map.of());
	}

	private static AnthropicError build(int upstreamStatus, String message, JsonNode error,
			Map<String, String> headers) {
		Kind kind = Kind.of(upstreamStatus);
		String type = kind.type();
		if (message == null || message.isBlank()) {
			message = defaultMessage(type);
		}
		else if ("invalid_request_error".equals(type) && isContextLength(message, error)) {
			message = "prompt is too long: " + message;
		}
		if (message.length() > MAX_MESSAGE_LENGTH) {
			message = message.substring(0, MAX_MESSAGE_LENGTH);
		}
		String retryAfter = (kind.status() == 429 || kind.status() == 529) ? retryAfter(headers) : null;
		return new AnthropicError(kind.status(), type, message, retryAfter);
	}

	/**
	 * The status an in-stream error stands for: its numeric code, or what its type or
	 * code names.
	 */
	private static int statusOf(JsonNode error) {
		for (String field : new String[] { "code", "status", "status_code" }) {
			JsonNode value = (error != null) ? error.get(field) : null;
			if (value != null && value.isIntegralNumber() && value.asInt() >= 400 && value.asInt() < 600) {
				return value.asInt();
			}
		}
		String kind = (Json.text(error, "type") + " " + Json.text(error, "code")).toLowerCase(Locale.ROOT);
		if (kind.contains("rate_limit")) {
			return 429;
		}
		if (kind.contains("overload")) {
			return 529;
		}
		if (kind.contains("timeout")) {
			return 504;
		}
		return (kind.contains("invalid_request") || kind.contains("context_length")) ? 400 : 500;
	}

	private static String message(JsonNode json, JsonNode error) {
		if (error != null && error.isString()) {
			return error.stringValue();
		}
		String message = Json.text(error, "message");
		if (message == null) {
			message = Json.text(json, "message");
		}
		return (message != null) ? message : Json.text(json, "detail");
	}

	private static boolean isContextLength(String message, JsonNode error) {
		String lower = message.toLowerCase(Locale.ROOT);
		return "context_length_exceeded".equals(Json.text(error, "code")) || lower.contains("context length")
				|| lower.contains("context window") || lower.contains("too many tokens");
	}

	private static String retryAfter(Map<String, String> headers) {
		String millis = null;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			if ("retry-after".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
				return header.getValue().strip();
			}
			if ("retry-after-ms".equalsIgnoreCase(header.getKey())) {
				millis = header.getValue();
			}
		}
		try {
			return (millis != null) ? Long.toString((long) Math.ceil(Double.parseDouble(millis.strip()) / 1000)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String defaultMessage(String type) {
		return switch (type) {
			case "invalid_request_error" -> "Invalid request";
			case "authentication_error" -> "Authentication error";
			case "billing_error" -> "Billing error";
			case "permission_error" -> "Permission denied";
			case "not_found_error" -> "Not found";
			case "request_too_large" -> "Request too large";
			case "rate_limit_error" -> "Rate limited";
			case "timeout_error" -> "Request timed out";
			case "overloaded_error" -> "Overloaded";
			default -> "Internal server error";
		};
	}

	private static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			JsonNode json = Json.MAPPER.readTree(body);
			return (json != null && json.isObject()) ? json : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private record Kind(int status, String type) {

		static Kind of(int upstreamStatus) {
			return switch (upstreamStatus) {
				case 400 -> new Kind(400, "invalid_request_error");
				case 401 -> new Kind(401, "authentication_error");
				case 402 -> new Kind(402, "billing_error");
				case 403 -> new Kind(403, "permission_error");
				case 404 -> new Kind(404, "not_found_error");
				case 408, 504 -> new Kind(504, "timeout_error");
				case 413 -> new Kind(413, "request_too_large");
				case 429 -> new Kind(429, "rate_limit_error");
				case 503, 529 -> new Kind(529, "overloaded_error");
				default -> (upstreamStatus >= 400 && upstreamStatus < 500)
						? new Kind(upstreamStatus, "invalid_request_error") : new Kind(500, "api_error");
			};
		}

	}

}
