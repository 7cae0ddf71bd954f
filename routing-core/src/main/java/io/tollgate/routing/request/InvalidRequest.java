package io.tollgate.routing.request;

/**
 * A request Tollgate refuses before any upstream sees it:
 * {@code 400 invalid_request_error} with a {@code <json.path>: <reason>} message.
 * Stackless: it is a routine answer, not a fault.
 */
public final class InvalidRequest extends RuntimeException {

	private InvalidRequest(String message) {
		super(message, null, false, false);
	}

	public static InvalidRequest of(String path, String reason) {
		return new InvalidRequest(path + ": " + reason);
	}

	public static InvalidRequest fieldRequired(String path) {
		return of(path, "Field required");
	}

	public static InvalidRequest notJson(String detail) {
		return new InvalidRequest("Request body is not valid JSON: " + detail);
	}

}
