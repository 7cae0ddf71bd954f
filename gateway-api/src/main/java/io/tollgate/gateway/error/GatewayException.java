package io.tollgate.gateway.error;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;

/**
 * A request Tollgate answers with an error of its own, in the Anthropic envelope.
 * Stackless: rejections are routine on the hot path.
 */
public final class GatewayException extends RuntimeException {

	private final int status;

	private final String type;

	private final HttpHeaders headers;

	private GatewayException(int status, String type, String message, HttpHeaders headers) {
		super(message, null, false, false);
		this.status = status;
		this.type = type;
		this.headers = headers;
	}

	public static GatewayException of(int status, String type, String message) {
		return new GatewayException(status, type, message, HttpHeaders.EMPTY);
	}

	public static GatewayException missingKey() {
		return of(401, "authentication_error", "x-api-key header is required");
	}

	public static GatewayException invalidKey() {
		return of(401, "authentication_error", "invalid x-api-key");
	}

	public static GatewayException invalidRequest(String message) {
		return of(400, "invalid_request_error", message);
	}

	public static GatewayException permission(String message) {
		return of(403, "permission_error", message);
	}

	public static GatewayException notFound(String message) {
		return of(404, "not_found_error", message);
	}

	public static GatewayException tooLarge(String message) {
		return of(413, "request_too_large", message);
	}

	public static GatewayException rateLimited(String message, Duration retryAfter) {
		return new GatewayException(429, "rate_limit_error", message, retryAfter(retryAfter));
	}

	/**
	 * Every account is busy or set aside: 529, with when to try again.
	 * @param message what to tell the client
	 * @param retryAfter when an account should be available again
	 * @return the exception
	 */
	public static GatewayException upstreamUnavailable(String message, Duration retryAfter) {
		return new GatewayException(529, "overloaded_error", message, retryAfter(retryAfter));
	}

	private static HttpHeaders retryAfter(Duration wait) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("retry-after", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
		return headers;
	}

	public static GatewayException billing(String message) {
		return of(402, "billing_error", message);
	}

	public static GatewayException upstreamUnavailable(String message) {
		return of(529, "overloaded_error", message);
	}

	public static GatewayException upstreamFailed(String message) {
		return of(502, "api_error", message);
	}

	public static GatewayException timeout(String message) {
		return of(504, "timeout_error", message);
	}

	public static GatewayException fromStatus(HttpStatusCode status, String message) {
		return of(status.value(), errorType(status.value()), message);
	}

	/**
	 * Anthropic's error type for a status, as the SDKs map them.
	 * @param status an HTTP status
	 * @return the type; {@code api_error} for 5xx and for statuses that are no error
	 */
	public static String errorType(int status) {
		return switch (status) {
			case 400 -> "invalid_request_error";
			case 401 -> "authentication_error";
			case 402 -> "billing_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 413 -> "request_too_large";
			case 429 -> "rate_limit_error";
			case 504 -> "timeout_error";
			case 529 -> "overloaded_error";
			default -> (status >= 500 || status < 400) ? "api_error" : "invalid_request_error";
		};
	}

	public int status() {
		return this.status;
	}

	public String type() {
		return this.type;
	}

	public HttpHeaders headers() {
		return this.headers;
	}

}
