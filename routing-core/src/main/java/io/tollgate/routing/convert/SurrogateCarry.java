package io.tollgate.routing.convert;

/**
 * Keeps characters whole across the pieces of a stream. An upstream may split a character
 * outside the Basic Multilingual Plane between two chunks, as two {@code \\uXXXX}
 * escapes; each chunk then decodes to half a surrogate pair, which no client can print
 * and which UTF-8 cannot encode. The high half is held back until the next piece; a half
 * that never finds its partner becomes U+FFFD. One instance per content block.
 */
final class SurrogateCarry {

	private static final char REPLACEMENT = '\uFFFD';

	private char pending;

	/**
	 * The text to emit for the next piece: the held high surrogate in front, a trailing
	 * high surrogate held back, unpaired halves replaced.
	 * @param piece the next piece
	 * @return the text to emit now, possibly empty
	 */
	String take(String piece) {
		String text = (this.pending != 0) ? this.pending + piece : piece;
		this.pending = 0;
		if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
			this.pending = text.charAt(text.length() - 1);
			text = text.substring(0, text.length() - 1);
		}
		return paired(text);
	}

	/**
	 * What is left when the block ends: U+FFFD for a high surrogate whose partner never
	 * came, else nothing.
	 */
	String flush() {
		String rest = (this.pending != 0) ? String.valueOf(REPLACEMENT) : "";
		this.pending = 0;
		return rest;
	}

	private static String paired(String text) {
		StringBuilder fixed = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean lone = Character.isHighSurrogate(c)
					? (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
					: Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
			if (lone && fixed == null) {
				fixed = new StringBuilder(text.length()).append(text, 0, i);
			}
			if (fixed != null) {
				fixed.append(lone ? REPLACEMENT : c);
			}
		}
		return (fixed != null) ? fixed.toString() : text;
	}

}
