package io.tollgate.routing.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One kind of value to find. A detector never searches: the redactor's single scan over
 * the characters hands it the places where one of its trigger characters stands (an
 * {@code @} for an email, the {@code -} of {@code sk-} for a key), its anchor decides
 * from a few neighbours whether a value can stand there and where it would start, and its
 * pattern is tried once, anchored at that start. Text without a trigger costs one
 * character read, and each anchored attempt reads at most the pattern's bounded length.
 *
 * @param type what it finds
 * @param pattern what a match looks like; possessive and bounded, so it cannot backtrack
 * catastrophically
 * @param group the pattern group to mask (0 for the whole match)
 * @param triggers the ASCII characters one of which stands in every match, with the kinds
 * of characters that can stand around them
 * @param anchor where a match would start, given a trigger character
 * @param valid a check on the matched text (checksums, ranges)
 * @param mask the masked form of a valid match
 */
record Detector(PiiType type, Pattern pattern, int group, List<Trigger> triggers, Anchor anchor,
		Predicate<String> valid, UnaryOperator<String> mask) {

	/** Digits. */
	static final int DIGIT = 1;

	/** Capitals that are hex digits, A to F. */
	static final int HEX_UPPER = 1 << 1;

	/** The other capitals. */
	static final int UPPER = 1 << 2;

	/** Small letters that are hex digits, a to f. */
	static final int HEX_LOWER = 1 << 3;

	/** The other small letters. */
	static final int LOWER = 1 << 4;

	static final int UNDERSCORE = 1 << 5;

	static final int DASH = 1 << 6;

	/**
	 * Every other character, non-ASCII ones included, and the edges of the text.
	 */
	static final int OTHER = 1 << 7;

	/** Space, tab, line feed and carriage return. */
	static final int SPACE = 1 << 8;

	/** How many kinds there are. */
	static final int KIND_COUNT = 9;

	static final int ANY = (1 << KIND_COUNT) - 1;

	static final int HEX = DIGIT | HEX_UPPER | HEX_LOWER;

	static final int WORD = DIGIT | HEX_UPPER | UPPER | HEX_LOWER | LOWER | UNDERSCORE;

	private static final byte[] KINDS = new byte[256];

	static {
		for (int c = 0; c < 256; c++) {
			int kind;
			if (c >= '0' && c <= '9') {
				kind = DIGIT;
			}
			else if (c >= 'A' && c <= 'F') {
				kind = HEX_UPPER;
			}
			else if (c >= 'G' && c <= 'Z') {
				kind = UPPER;
			}
			else if (c >= 'a' && c <= 'f') {
				kind = HEX_LOWER;
			}
			else if (c >= 'g' && c <= 'z') {
				kind = LOWER;
			}
			else if (c == '_') {
				kind = UNDERSCORE;
			}
			else if (c == '-') {
				kind = DASH;
			}
			else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				kind = SPACE;
			}
			else {
				kind = OTHER;
			}
			KINDS[c] = (byte) Integer.numberOfTrailingZeros(kind);
		}
	}

	/** The kind index of {@link #OTHER}, which the edges of a text count as. */
	static final int EDGE = 7;

	/** The kind of a character as a bit index (0 for {@link #DIGIT} and so on). */
	static int kind(char c) {
		return (c < 128) ? KINDS[c] : EDGE;
	}

	/** The kind of a Latin-1 character given as a byte. */
	static int kind(byte c) {
		return KINDS[c & 0xFF];
	}

	static Detector of(PiiType type, String regex, Anchor anchor, Predicate<String> valid, UnaryOperator<String> mask,
			Trigger... triggers) {
		return new Detector(type, Pattern.compile(regex), 0, List.of(triggers), anchor, valid, mask);
	}

	/**
	 * Characters that trigger a detector where the characters around them are of given
	 * kinds: a filter the scan applies for free, before the anchor looks.
	 *
	 * @param chars the trigger characters (ASCII)
	 * @param before the kinds the character before may be (bits such as {@link #DIGIT})
	 * @param after the kinds the character after may be
	 */
	record Trigger(String chars, int before, int after) {

		static Trigger of(String chars, int before, int after) {
			return new Trigger(chars, before, after);
		}

	}

	/**
	 * A detector triggered by literals, one of which every match contains: each literal
	 * is triggered by its least common character (a punctuation mark, else a capital),
	 * where its neighbours are of the kinds the literal has there, so that ordinary words
	 * trigger as little as possible.
	 * @param before how far before its literal a match starts
	 */
	static Detector onLiterals(PiiType type, String regex, int group, String[] literals, int before,
			UnaryOperator<String> mask) {
		int[] at = new int[literals.length];
		List<Trigger> triggers = new ArrayList<>();
		for (int i = 0; i < literals.length; i++) {
			String literal = literals[i];
			at[i] = triggerIndex(literal);
			Trigger trigger = Trigger.of(String.valueOf(literal.charAt(at[i])),
					(at[i] > 0) ? 1 << kind(literal.charAt(at[i] - 1)) : ANY,
					(at[i] + 1 < literal.length()) ? 1 << kind(literal.charAt(at[i] + 1)) : ANY);
			if (!triggers.contains(trigger)) {
				triggers.add(trigger);
			}
		}
		Anchor anchor = (text, index) -> {
			char c = text.charAt(index);
			for (int i = 0; i < literals.length; i++) {
				String literal = literals[i];
				int from = index - at[i];
				if (literal.charAt(at[i]) == c && from >= before && startsWith(text, from, literal)) {
					return from - before;
				}
			}
			return -1;
		};
		return new Detector(type, Pattern.compile(regex), group, List.copyOf(triggers), anchor, (value) -> true, mask);
	}

	private static int triggerIndex(String literal) {
		for (int i = 0; i < literal.length(); i++) {
			if (!Character.isLetterOrDigit(literal.charAt(i))) {
				return i;
			}
		}
		for (int i = 0; i < literal.length(); i++) {
			if (Character.isUpperCase(literal.charAt(i))) {
				return i;
			}
		}
		return 0;
	}

	static boolean startsWith(CharSequence text, int from, String literal) {
		if (from < 0 || from + literal.length() > text.length()) {
			return false;
		}
		for (int i = 0; i < literal.length(); i++) {
			if (text.charAt(from + i) != literal.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** Where a match would start given a trigger character, or -1 when none can. */
	@FunctionalInterface
	interface Anchor {

		/**
		 * @param text the text
		 * @param at the index of a trigger character
		 * @return the index at which the pattern is to be tried, at most {@code at}; -1
		 * when no value can stand here
		 */
		int start(CharSequence text, int at);

	}

	static boolean digit(CharSequence text, int at) {
		if (at < 0 || at >= text.length()) {
			return false;
		}
		char c = text.charAt(at);
		return c >= '0' && c <= '9';
	}

	static boolean hex(CharSequence text, int at) {
		if (at < 0 || at >= text.length()) {
			return false;
		}
		char c = text.charAt(at);
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	static boolean word(CharSequence text, int at) {
		if (at < 0 || at >= text.length()) {
			return false;
		}
		char c = text.charAt(at);
		return Character.isLetterOrDigit(c) || c == '_';
	}

}
