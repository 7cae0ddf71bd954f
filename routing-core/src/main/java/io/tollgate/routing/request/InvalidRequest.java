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

	/**
	 * The body cannot be parsed; the message says where, never what the parser said.
	 * @param detail what is wrong, in the client's terms
	 * @return the exception
	 */
	public static InvalidRequest notJson(String detail) {
		return new InvalidRequest("Request body is not valid JSON: " + detail);
	}

	/**
	 * A member that appears twice in one object: the request would mean two things.
	 * @param path the member's dotted path
	 * @return the exception
	 */
	public static InvalidRequest duplicate(String path) {
		return of(path, "Duplicate member: each member may appear only once in an object");
	}

	/**
	 * Text that is not valid Unicode (bytes that are not UTF-8, a lone surrogate).
	 * @param detail what was found, and where
	 * @return the exception
	 */
	public static InvalidRequest invalidUnicode(String detail) {
		return new InvalidRequest("Request body is not valid Unicode: " + detail);
	}

}
