package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;

import io.tollgate.gateway.error.AnthropicErrors;
import io.tollgate.gateway.messages.GatewayRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;

/**
 * Upstream error responses as the client should get them, whatever the platform:
 * <ul>
 * <li>a body that is not JSON (an HTML page from a proxy, an empty 503) becomes the
 * Anthropic envelope with a fitting status and type, never HTML, never an empty body;
 * <li>a 401 or 403 is the operator's problem: the client gets a generic 502
 * {@code api_error} that neither quotes the upstream nor says the client's key is wrong,
 * and the upstream's message goes to the account's health record;
 * <li>an Anthropic error body is passed on as the upstream wrote it, but for its
 * {@code request_id}, which is Tollgate's, as in the {@code request-id} header.
 * </ul>
 * Error bodies are small: they are read as trees.
 */
final class UpstreamErrors {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamErrors.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_DETAIL = 500;

	private UpstreamErrors() {
	}

	/**
	 * An error of an Anthropic upstream.
	 * @param request the request
	 * @param response the upstream's response
	 * @param body its whole body
	 * @return what the client gets
	 */
	static UpstreamFailure anthropic(GatewayRequest request, UpstreamResponse response, byte[] body) {
		JsonNode json = jsonObject(body);
		UpstreamFailure common = common(request, response, body, json);
		if (common != null) {
			return common;
		}
		ObjectNode envelope = (ObjectNode) json;
		if (!envelope.path("error").path("type").isString()) {
			return unexpected(request, response, "a JSON body that is not an error");
		}
		envelope.put("request_id", request.id());
		return UpstreamFailure.answered(response.status(), response.status(),
				UpstreamHeaders.returnedHeaders(response.headers()), JSON.writeValueAsBytes(envelope), null);
	}

	/**
	 * What every platform does with an error response before reading it as its own:
	 * account rejections and bodies that are not a JSON object.
	 * @param request the request
	 * @param response the upstream's response
	 * @param body its whole body
	 * @return the failure, or {@code null} when the body is a JSON object of another
	 * status, for the platform to read
	 */
	static UpstreamFailure common(GatewayRequest request, UpstreamResponse response, byte[] body) {
		return common(request, response, body, jsonObject(body));
	}

	private static UpstreamFailure common(GatewayRequest request, UpstreamResponse response, byte[] body,
			JsonNode json) {
		int status = response.status();
		String upstreamId = UpstreamHeaders.requestId(response.headers());
		if (status == 401 || status == 403) {
			String detail = clip("HTTP " + status + " from the provider (upstream request "
					+ ((upstreamId != null) ? upstreamId : "unknown") + "): " + message(json, body));
			logger.warn("Request {}: account {} was refused by its provider with HTTP {} (upstream request {})",
					request.id(), request.account().name(), status, upstreamId);
			return generated(request, 502, status, HttpHeaders.EMPTY, "api_error",
					"The upstream account serving this request was refused by its provider; try again later", detail);
		}
		if (json != null) {
			return null;
		}
		String contentType = response.header("content-type");
		return unexpected(request, response, (body.length == 0) ? "an empty body"
				: "a non-JSON body" + ((contentType != null) ? " (" + contentType + ")" : ""));
	}

	/**
	 * An error response whose body says nothing the client could use: the Anthropic
	 * envelope with the status and type that fit the upstream's status.
	 */
	private static UpstreamFailure unexpected(GatewayRequest request, UpstreamResponse response, String what) {
		int status = response.status();
		String upstreamId = UpstreamHeaders.requestId(response.headers());
		HttpHeaders passed = UpstreamHeaders.returnedHeaders(response.headers());
		logger.debug("Request {}: account {} answered HTTP {} with {} (upstream request {})", request.id(),
				request.account().name(), status, what, upstreamId);
		int mapped = switch (status) {
			case 400, 413, 429, 500 -> status;
			case 408, 504 -> 504;
			case 503, 529 -> 529;
			default -> 502;
		};
		String type = switch (mapped) {
			case 400 -> "invalid_request_error";
			case 413 -> "request_too_large";
			case 429 -> "rate_limit_error";
			case 504 -> "timeout_error";
			case 529 -> "overloaded_error";
			default -> "api_error";
		};
		if ((mapped == 400 || mapped == 413) && passed.getFirst("x-should-retry") == null) {
			// a permanent error says so (C12)
			HttpHeaders permanent = new HttpHeaders();
			permanent.addAll(passed);
			permanent.set("x-should-retry", "false");
			passed = permanent;
		}
		return generated(request, mapped, status, passed, type,
				"The upstream answered HTTP " + status + " with " + what, "HTTP " + status + " with " + what);
	}

	private static UpstreamFailure generated(GatewayRequest request, int status, int upstreamStatus,
			HttpHeaders headers, String type, String message, String detail) {
		return UpstreamFailure.answered(status, upstreamStatus, headers,
				AnthropicErrors.body(type, message, request.id()), detail);
	}

	/** The body as a JSON object, or {@code null} when it is not one. */
	static JsonNode jsonObject(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			JsonNode node = JSON.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** The upstream's own words: {@code error.message}, {@code message}, or the text. */
	private static String message(JsonNode json, byte[] body) {
		if (json != null) {
			JsonNode error = json.path("error");
			if (error.path("message").isString()) {
				return error.path("message").asString();
			}
			if (error.isString()) {
				return error.asString();
			}
			if (json.path("message").isString()) {
				return json.path("message").asString();
			}
		}
		String text = new String(body, 0, Math.min(body.length, 2 * MAX_DETAIL), StandardCharsets.UTF_8);
		return text.replaceAll("\\s+", " ").trim();
	}

	private static String clip(String text) {
		return (text.length() <= MAX_DETAIL) ? text : text.substring(0, MAX_DETAIL - 1) + "…";
	}

}
