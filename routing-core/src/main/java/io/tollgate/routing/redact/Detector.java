package io.tollgate.routing.redact;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One kind of value to find. A detector only runs its pattern in windows around its
 * triggers (an {@code @} for an email, a known prefix for a secret), so text without a
 * trigger costs one character scan and nothing else, and the regex work is bounded by the
 * window sizes whatever the input.
 *
 * @param type what it finds
 * @param pattern what a match looks like; possessive and bounded, so it cannot backtrack
 * catastrophically
 * @param group the pattern group to mask (0 for the whole match)
 * @param triggerChars ASCII characters that every match contains
 * @param fires a cheap look at the neighbours of a trigger character, so that common
 * characters ({@code .}, {@code -}) open a window only where a value could stand
 * @param triggerLiterals strings one of which every match contains (used instead of
 * characters when set)
 * @param before how far before a trigger a match may start
 * @param after how far after a trigger a match may end
 * @param valid a check on the matched text (checksums, ranges)
 * @param mask the masked form of a valid match
 */
record Detector(PiiType type, Pattern pattern, int group, String triggerChars, Trigger fires,
		List<String> triggerLiterals, int before, int after, Predicate<String> valid, UnaryOperator<String> mask) {

	static Detector onChars(PiiType type, String regex, String triggers, Trigger fires, int before, int after,
			Predicate<String> valid, UnaryOperator<String> mask) {
		return new Detector(type, Pattern.compile(regex), 0, triggers, fires, List.of(), before, after, valid, mask);
	}

	static Detector onLiterals(PiiType type, String regex, int group, List<String> literals, int before, int after,
			UnaryOperator<String> mask) {
		return new Detector(type, Pattern.compile(regex), group, "", Trigger.ALWAYS, literals, before, after,
				(value) -> true, mask);
	}

	/** Whether a trigger character at an index opens a window. */
	@FunctionalInterface
	interface Trigger {

		Trigger ALWAYS = (text, at) -> true;

		/** A digit on both sides: {@code 192.168}, {@code 555-0132}. */
		Trigger DIGITS_AROUND = (text, at) -> digit(text, at - 1) && digit(text, at + 1);

		/** A hex digit on both sides: {@code e89b-12d3}, {@code 1A:2B}. */
		Trigger HEX_AROUND = (text, at) -> hex(text, at - 1) && hex(text, at + 1);

		/** A digit after: {@code +44}, {@code (415)}. */
		Trigger DIGIT_AFTER = (text, at) -> digit(text, at + 1);

		boolean fires(CharSequence text, int at);

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

}
