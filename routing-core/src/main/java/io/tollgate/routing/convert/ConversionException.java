package io.tollgate.routing.convert;

/**
 * An Anthropic request that cannot be converted for an OpenAI upstream. The message has
 * Anthropic's {@code <json.path>: <reason>} form (C16, C41); the gateway answers it as
 * {@code 400 invalid_request_error} before any upstream call. Stackless: it is a hot-path
 * rejection, not a bug.
 */
public final class ConversionException extends RuntimeException {

	private final String path;

	private ConversionException(String path, String reason) {
		super(path + ": " + reason, null, false, false);
		this.path = path;
	}

	/**
	 * A rejection of the value at one JSON path.
	 * @param path the dotted path, array indices as numbers
	 * ({@code messages.2.content.0.source})
	 * @param reason what is wrong with it
	 * @return the exception
	 */
	public static ConversionException at(String path, String reason) {
		return new ConversionException(path, reason);
	}

	/** The dotted JSON path of the rejected value. */
	public String path() {
		return this.path;
	}

}
