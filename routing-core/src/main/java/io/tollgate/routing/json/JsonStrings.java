package io.tollgate.routing.json;

import tools.jackson.core.io.JsonStringEncoder;

/** JSON string literals as bytes, for splicing values into JSON text without a tree. */
public final class JsonStrings {

	private JsonStrings() {
	}

	/** A value as a quoted, escaped JSON string in UTF-8. */
	public static byte[] quote(String value) {
		byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
		byte[] quoted = new byte[escaped.length + 2];
		quoted[0] = '"';
		System.arraycopy(escaped, 0, quoted, 1, escaped.length);
		quoted[quoted.length - 1] = '"';
		return quoted;
	}

}
