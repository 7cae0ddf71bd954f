package io.tollgate.routing.redact;

import java.nio.charset.StandardCharsets;
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

	/** Bytes that stand for themselves: ASCII but the quote and the backslash. */
	private static final boolean[] PLAIN = new boolean[256];

	static {
		for (int b = 0; b < 128; b++) {
			PLAIN[b] = b != '"' && b != '\\';
		}
	}

	/** The decoded text as Latin-1 bytes, when every character fits in one. */
	private byte[] latin = new byte[1024];

	/** The decoded text, when a character does not fit in Latin-1. */
	private char[] chars = new char[1024];

	/**
	 * Whether the last string decoded is in {@link #chars} rather than {@link #latin}.
	 */
	private boolean wide;

	private int length;

	/**
	 * Pairs (character index, byte index) from which characters and bytes go one for one
	 * again, in order.
	 */
	private int[] marks = new int[64];

	private int markCount;

	/**
	 * Decodes the string whose opening quote is at {@code quote}. Runs of plain ASCII are
	 * found with one table look-up a byte and copied as they are; text that is all
	 * Latin-1 (ASCII with escapes, the usual case) stays in bytes.
	 * @param json the JSON text, valid JSON
	 * @param quote the index of the opening quote
	 * @return the index of the closing quote
	 */
	int decode(byte[] json, int quote) {
		int at = quote + 1;
		int n = 0;
		byte[] out = this.latin;
		this.wide = false;
		this.markCount = 0;
		mark(0, at);
		while (true) {
			int from = at;
			while (PLAIN[json[at] & 0xFF]) {
				at++;
			}
			int count = at - from;
			if (n + count + 1 > out.length) {
				out = this.latin = Arrays.copyOf(out, Math.max(out.length * 2, n + count + 1));
			}
			System.arraycopy(json, from, out, n, count);
			n += count;
			int b = json[at];
			if (b == '"') {
				break;
			}
			if (b == '\\' && json[at + 1] != 'u') {
				out[n++] = (byte) escaped(json[at + 1]);
				at += 2;
			}
			else {
				// a unicode escape or a multi-byte character: if it fits in Latin-1 it is
				// one byte, else the whole string is decoded to chars
				int code = (b == '\\') ? hex(json, at + 2) : codePoint(json, at);
				if (code > 0xFF) {
					return decodeWide(json, quote);
				}
				out[n++] = (byte) code;
				at = (b == '\\') ? at + 6 : this.next;
			}
			mark(n, at);
		}
		this.length = n;
		return at;
	}

	private int decodeWide(byte[] json, int quote) {
		int at = quote + 1;
		int n = 0;
		char[] out = this.chars;
		this.wide = true;
		this.markCount = 0;
		mark(0, at);
		while (true) {
			int from = at;
			while (PLAIN[json[at] & 0xFF]) {
				at++;
			}
			int count = at - from;
			if (n + count + 2 > out.length) {
				out = this.chars = Arrays.copyOf(out, Math.max(out.length * 2, n + count + 2));
			}
			for (int i = 0; i < count; i++) {
				out[n + i] = (char) json[from + i];
			}
			n += count;
			int b = json[at];
			if (b == '"') {
				break;
			}
			if (b == '\\') {
				char escaped = json[at + 1] == 'u' ? (char) hex(json, at + 2) : escaped(json[at + 1]);
				out[n++] = escaped;
				at += (json[at + 1] == 'u') ? 6 : 2;
			}
			else {
				int code = codePoint(json, at);
				at = this.next;
				if (code > 0xFFFF) {
					out[n++] = Character.highSurrogate(code);
					out[n++] = Character.lowSurrogate(code);
				}
				else {
					out[n++] = (char) code;
				}
			}
			mark(n, at);
		}
		this.length = n;
		return at;
	}

	private static char escaped(byte b) {
		return switch (b) {
			case 'n' -> '\n';
			case 't' -> '\t';
			case 'r' -> '\r';
			case 'b' -> '\b';
			case 'f' -> '\f';
			default -> (char) b;
		};
	}

	/** Where the last multi-byte character read ends. */
	private int next;

	/**
	 * The code point of the UTF-8 sequence at an index (U+FFFD where it is malformed);
	 * sets {@link #next}.
	 */
	private int codePoint(byte[] json, int at) {
		int b = json[at] & 0xFF;
		int count;
		int code;
		if (b >= 0xF0 && b < 0xF8) {
			count = 3;
			code = b & 0x07;
		}
		else if (b >= 0xE0 && b < 0xF0) {
			count = 2;
			code = b & 0x0F;
		}
		else if (b >= 0xC0 && b < 0xE0) {
			count = 1;
			code = b & 0x1F;
		}
		else {
			this.next = at + 1;
			return 0xFFFD;
		}
		int next = at + 1;
		for (int i = 0; i < count; i++) {
			int continuation = json[next] & 0xFF;
			if ((continuation & 0xC0) != 0x80) {
				this.next = next;
				return 0xFFFD;
			}
			code = (code << 6) | (continuation & 0x3F);
			next++;
		}
		this.next = next;
		return (code > Character.MAX_CODE_POINT) ? 0xFFFD : code;
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

	/**
	 * The decoded text as Latin-1 bytes from index 0 (the array is longer than the text),
	 * or {@code null} when it is in {@link #chars()}.
	 */
	byte[] latin() {
		return this.wide ? null : this.latin;
	}

	/**
	 * The decoded characters from index 0 when the text is not all Latin-1, else
	 * {@code null}.
	 */
	char[] chars() {
		return this.wide ? this.chars : null;
	}

	/** The decoded text. */
	String text() {
		return this.wide ? new String(this.chars, 0, this.length)
				: new String(this.latin, 0, this.length, StandardCharsets.ISO_8859_1);
	}

	/**
	 * The byte index where the character at {@code charIndex} starts, or where the string
	 * ends; the cursor walks the marks forward, so indexes are asked for in increasing
	 * order.
	 * @return the byte index, or -1 when the index falls between the two halves of a
	 * surrogate pair
	 */
	int byteIndex(int charIndex, Cursor cursor) {
		if (this.wide && charIndex > 0 && charIndex < this.length
				&& Character.isHighSurrogate(this.chars[charIndex - 1])
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
