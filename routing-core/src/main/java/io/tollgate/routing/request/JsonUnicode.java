package io.tollgate.routing.request;

/**
 * Checks that a JSON text means one string of Unicode everywhere: well-formed UTF-8 (RFC
 * 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF) and no
 * {@code &#92;u} escape of a surrogate that is not half of a pair. A lone surrogate
 * cannot be stored, printed or forwarded as the client meant it, so it is refused rather
 * than repaired. One pass over the bytes, before the parser, whatever the parser skips.
 */
final class JsonUnicode {

	private JsonUnicode() {
	}

	/**
	 * Checks a body.
	 * @param body the JSON text
	 * @throws InvalidRequest when it is not valid Unicode
	 */
	static void check(byte[] body) {
		int i = 0;
		int length = body.length;
		while (i < length) {
			int b = body[i];
			if (b >= 0) {
				i = (b == '\\') ? escape(body, i) : i + 1;
				continue;
			}
			int lead = b & 0xFF;
			int size;
			int low = 0x80;
			int high = 0xBF;
			if (lead >= 0xC2 && lead <= 0xDF) {
				size = 2;
			}
			else if (lead >= 0xE0 && lead <= 0xEF) {
				size = 3;
				low = (lead == 0xE0) ? 0xA0 : 0x80;
				high = (lead == 0xED) ? 0x9F : 0xBF;
			}
			else if (lead >= 0xF0 && lead <= 0xF4) {
				size = 4;
				low = (lead == 0xF0) ? 0x90 : 0x80;
				high = (lead == 0xF4) ? 0x8F : 0xBF;
			}
			else {
				throw notUtf8(i);
			}
			if (i + size > length) {
				throw notUtf8(i);
			}
			int second = body[i + 1] & 0xFF;
			if (second < low || second > high) {
				throw notUtf8(i);
			}
			for (int k = 2; k < size; k++) {
				if ((body[i + k] & 0xC0) != 0x80) {
					throw notUtf8(i);
				}
			}
			i += size;
		}
	}

	/**
	 * Steps over the escape at {@code i}; a backslash outside a string is the parser's to
	 * refuse.
	 */
	private static int escape(byte[] body, int i) {
		if (i + 1 >= body.length || body[i + 1] != 'u') {
			return i + 2;
		}
		int unit = hex(body, i + 2);
		if (unit < 0xD800 || unit > 0xDFFF) {
			return i + 6;
		}
		if (unit <= 0xDBFF && i + 7 < body.length && body[i + 6] == '\\' && body[i + 7] == 'u') {
			int next = hex(body, i + 8);
			if (next >= 0xDC00 && next <= 0xDFFF) {
				return i + 12;
			}
		}
		throw InvalidRequest.invalidUnicode(String.format("a lone surrogate (\\u%04x) at byte %d", unit, i));
	}

	/** The four hex digits at {@code from}, or -1 (malformed: the parser says so). */
	private static int hex(byte[] body, int from) {
		if (from + 4 > body.length) {
			return -1;
		}
		int value = 0;
		for (int k = from; k < from + 4; k++) {
			int digit = Character.digit(body[k], 16);
			if (digit < 0) {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	private static InvalidRequest notUtf8(int at) {
		return InvalidRequest.invalidUnicode("bytes that are not UTF-8 at byte " + at);
	}

}
