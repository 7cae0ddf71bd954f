package io.tollgate.routing.redact;

import java.util.Arrays;

/**
 * Decodes JSON string values straight from the request's UTF-8 bytes and remembers where
 * each character came from, so that a masked value replaces exactly its own bytes and
 * every other byte of the string stays as the client sent it. Where characters and bytes
 * go one for one (plain ASCII) nothing is recorded; each escape and each multi-byte
 * character records one mark. One instance decodes the strings of one request in turn,
 * reusing its buffers; not thread-safe.
 */
final class JsonStringValue {

	private char[] chars = new char[1024];

	private int length;

	/**
	 * Pairs (character index, byte index) from which characters and bytes go one for one
	 * again, in order.
	 */
	private int[] marks = new int[64];

	private int markCount;

	/**
	 * Decodes the string whose opening quote is at {@code quote}.
	 * @param json the JSON text
	 * @param quote the index of the opening quote
	 * @return the index of the closing quote
	 */
	int decode(byte[] json, int quote) {
		int at = quote + 1;
		int n = 0;
		char[] out = this.chars;
		this.markCount = 0;
		mark(0, at);
		while (true) {
			if (out.length - n <= 2) {
				out = this.chars = Arrays.copyOf(out, out.length * 2);
			}
			// plain ASCII, the common case, in a tight loop
			int limit = Math.min(json.length, at + out.length - n - 2);
			int b = json[at];
			while (b >= 0 && b != '"' && b != '\\' && at < limit) {
				out[n++] = (char) b;
				b = json[++at];
			}
			if (b == '"') {
				break;
			}
			if (b >= 0 && b != '\\') {
				// the buffer is full
				continue;
			}
			if (b == '\\') {
				char escaped = (char) json[at + 1];
				switch (escaped) {
					case 'n' -> out[n++] = '\n';
					case 't' -> out[n++] = '\t';
					case 'r' -> out[n++] = '\r';
					case 'b' -> out[n++] = '\b';
					case 'f' -> out[n++] = '\f';
					case 'u' -> out[n++] = (char) hex(json, at + 2);
					default -> out[n++] = escaped;
				}
				at += (escaped == 'u') ? 6 : 2;
			}
			else {
				at = utf8(json, at, out, n);
				n += this.pair ? 2 : 1;
			}
			mark(n, at);
		}
		this.length = n;
		return at;
	}

	/** Whether the last multi-byte character decoded was a surrogate pair. */
	private boolean pair;

	private int utf8(byte[] json, int at, char[] out, int n) {
		int b = json[at] & 0xFF;
		int count;
		int code;
		if (b >= 0xF0 && b < 0xF8) {
			count = 3;
			code = b & 0x07;
		}
		else if (b >= 0xE0) {
			count = (b < 0xF0) ? 2 : 0;
			code = b & 0x0F;
		}
		else if (b >= 0xC0) {
			count = 1;
			code = b & 0x1F;
		}
		else {
			count = 0;
			code = 0xFFFD;
		}
		int next = at + 1;
		for (int i = 0; i < count; i++) {
			int continuation = json[next] & 0xFF;
			if ((continuation & 0xC0) != 0x80) {
				// malformed: one replacement character for what was read so far
				code = 0xFFFD;
				count = 0;
				break;
			}
			code = (code << 6) | (continuation & 0x3F);
			next++;
		}
		this.pair = code > 0xFFFF && code <= Character.MAX_CODE_POINT;
		if (this.pair) {
			out[n] = Character.highSurrogate(code);
			out[n + 1] = Character.lowSurrogate(code);
		}
		else {
			out[n] = (code > Character.MAX_CODE_POINT) ? '\uFFFD' : (char) code;
		}
		return next;
	}

	private static int hex(byte[] json, int at) {
		int value = 0;
		for (int i = at; i < at + 4; i++) {
			value = (value << 4) | Character.digit(json[i], 16);
		}
		return value;
	}

	private void mark(int charIndex, int byteIndex) {
		if (this.markCount + 2 > this.marks.length) {
			this.marks = Arrays.copyOf(this.marks, this.marks.length * 2);
		}
		this.marks[this.markCount++] = charIndex;
		this.marks[this.markCount++] = byteIndex;
	}

	/** The decoded characters, from index 0 (the array is longer than the text). */
	char[] chars() {
		return this.chars;
	}

	/** The decoded text. */
	String text() {
		return new String(this.chars, 0, this.length);
	}

	/**
	 * The byte index where the character at {@code charIndex} starts, or where the string
	 * ends; the cursor walks the marks forward, so indexes are asked for in increasing
	 * order.
	 * @return the byte index, or -1 when the index falls between the two halves of a
	 * surrogate pair
	 */
	int byteIndex(int charIndex, Cursor cursor) {
		if (charIndex > 0 && charIndex < this.length && Character.isHighSurrogate(this.chars[charIndex - 1])
				&& Character.isLowSurrogate(this.chars[charIndex])) {
			return -1;
		}
		int m = cursor.mark;
		while (m + 2 < this.markCount && this.marks[m + 2] <= charIndex) {
			m += 2;
		}
		cursor.mark = m;
		// from a mark up to the next escape or multi-byte character, one byte a character
		return this.marks[m + 1] + (charIndex - this.marks[m]);
	}

	/** Where a walk through the marks stands, for increasing character indexes. */
	static final class Cursor {

		private int mark;

	}

}
