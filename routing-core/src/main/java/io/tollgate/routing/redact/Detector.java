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
 * @param triggerLiterals strings one of which every match contains (used instead of
 * characters when set)
 * @param before how far before a trigger a match may start
 * @param after how far after a trigger a match may end
 * @param valid a check on the matched text (checksums, ranges)
 * @param mask the masked form of a valid match
 */
record Detector(PiiType type, Pattern pattern, int group, String triggerChars, List<String> triggerLiterals, int before,
		int after, Predicate<String> valid, UnaryOperator<String> mask) {

	static Detector onChars(PiiType type, String regex, String triggers, int before, int after, Predicate<String> valid,
			UnaryOperator<String> mask) {
		return new Detector(type, Pattern.compile(regex), 0, triggers, List.of(), before, after, valid, mask);
	}

	static Detector onLiterals(PiiType type, String regex, int group, List<String> literals, int before, int after,
			UnaryOperator<String> mask) {
		return new Detector(type, Pattern.compile(regex), group, "", literals, before, after, (value) -> true, mask);
	}

}
