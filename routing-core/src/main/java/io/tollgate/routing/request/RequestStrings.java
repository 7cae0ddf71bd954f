package io.tollgate.routing.request;

/**
 * Bounds on the strings of a request that Tollgate stores, logs or keys shared state by,
 * so that no request can carry a value that a column, a log line or a Redis key cannot
 * hold: a length within the column and no control characters (NUL included) or lone
 * surrogates.
 */
public final class RequestStrings {

	/**
	 * Longest model name: {@code usage_record.requested_model} and {@code upstream_model}
	 * are {@code VARCHAR(200)}.
	 */
	public static final int MODEL_MAX_LENGTH = 200;

	/** Longest {@code metadata.user_id}, as the Anthropic API documents it. */
	public static final int USER_ID_MAX_LENGTH = 256;

	/**
	 * Longest session id header ({@code x-claude-code-session-id}, a UUID in practice).
	 */
	public static final int SESSION_ID_MAX_LENGTH = 256;

	private RequestStrings() {
	}

	/**
	 * Checks a model name: 1 to {@value #MODEL_MAX_LENGTH} characters, none of them a
	 * control character or a lone surrogate.
	 * @param path where the value came from, for the message ({@code model})
	 * @param model the value
	 * @return the value
	 * @throws InvalidRequest when it breaks a rule
	 */
	public static String model(String path, String model) {
		if (model.isEmpty()) {
			throw InvalidRequest.of(path, "String should have at least 1 character");
		}
		return storable(path, model, MODEL_MAX_LENGTH);
	}

	/**
	 * Checks a string that is stored or logged: at most {@code maxLength} characters,
	 * none of them a control character or a lone surrogate.
	 * @param path where the value came from, for the message
	 * @param value the value
	 * @param maxLength the longest allowed, in UTF-16 units (never fewer than a
	 * database's characters)
	 * @return the value
	 * @throws InvalidRequest when it breaks a rule
	 */
	public static String storable(String path, String value, int maxLength) {
		if (value.length() > maxLength) {
			throw InvalidRequest.of(path, "String should have at most " + maxLength + " characters");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isISOControl(c)) {
				throw InvalidRequest.of(path, "String should not contain control characters");
			}
			if (Character.isSurrogate(c)) {
				boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1));
				if (!paired) {
					throw InvalidRequest.of(path, "String should not contain a lone surrogate");
				}
				i++;
			}
		}
		return value;
	}

}
