package io.tollgate.routing.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of the chosen kinds in text. One pass over the characters finds the
 * places where a value could stand (its triggers); each detector's pattern then runs only
 * in bounded windows around them. The work is linear in the text whatever it holds, and
 * custom patterns run on RE2/J, whose matching is linear by construction, so a pattern a
 * tenant sends cannot make Tollgate backtrack.
 */
public final class Redactor {

	/** The most custom terms and patterns one policy or request may name. */
	public static final int MAX_CUSTOM = 32;

	/** The longest custom term or pattern. */
	public static final int MAX_CUSTOM_LENGTH = 256;

	private final List<Detector> charDetectors;

	private final List<Detector> literalDetectors;

	/** For each ASCII character, the bit set of char detectors it triggers. */
	private final long[] triggers = new long[128];

	private final List<Custom> customs;

	private final Set<PiiType> types;

	private Redactor(Set<PiiType> types, List<Custom> customs) {
		this.types = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
		this.customs = customs;
		List<Detector> byChar = new ArrayList<>();
		List<Detector> byLiteral = new ArrayList<>();
		for (PiiType type : types) {
			for (Detector detector : Detectors.of(type)) {
				(detector.triggerLiterals().isEmpty() ? byChar : byLiteral).add(detector);
			}
		}
		this.charDetectors = List.copyOf(byChar);
		this.literalDetectors = List.copyOf(byLiteral);
		for (int d = 0; d < this.charDetectors.size(); d++) {
			for (char c : this.charDetectors.get(d).triggerChars().toCharArray()) {
				this.triggers[c] |= 1L << d;
			}
		}
		if (!customs.isEmpty()) {
			this.types.add(PiiType.CUSTOM);
		}
	}

	/**
	 * A redactor for these kinds and custom entries.
	 * @param types built-in kinds ({@link PiiType#CUSTOM} is implied by custom entries)
	 * @param custom terms (matched literally, ignoring case) or patterns written
	 * {@code /regex/} (RE2 syntax)
	 * @return the redactor
	 * @throws IllegalArgumentException when a custom entry is empty, too long, too many,
	 * or an invalid pattern
	 */
	public static Redactor of(Set<PiiType> types, List<String> custom) {
		if (custom.size() > MAX_CUSTOM) {
			throw new IllegalArgumentException("at most " + MAX_CUSTOM + " custom terms or patterns");
		}
		List<Custom> customs = new ArrayList<>();
		for (String entry : custom) {
			customs.add(Custom.parse(entry));
		}
		EnumSet<PiiType> builtIn = EnumSet.noneOf(PiiType.class);
		builtIn.addAll(types);
		builtIn.remove(PiiType.CUSTOM);
		return new Redactor(builtIn, List.copyOf(customs));
	}

	/** The kinds this redactor masks. */
	public Set<PiiType> types() {
		return EnumSet.copyOf(this.types.isEmpty() ? EnumSet.noneOf(PiiType.class) : this.types);
	}

	/** Whether it masks nothing at all. */
	public boolean isEmpty() {
		return this.charDetectors.isEmpty() && this.literalDetectors.isEmpty() && this.customs.isEmpty();
	}

	/**
	 * Masks what it finds.
	 * @param text the text
	 * @param tally where to count what was masked
	 * @return the masked text, or {@code text} itself when nothing was found
	 */
	public String redact(String text, RedactionTally tally) {
		String masked = redactSequence(text, tally);
		return (masked != null) ? masked : text;
	}

	/** Masks a character sequence; {@code null} when nothing was found. */
	String redactSequence(CharSequence text, RedactionTally tally) {
		List<Match> matches = new ArrayList<>();
		// one matcher per detector for this text: region() resets it, and a text can
		// have thousands of windows
		Map<Detector, Matcher> matchers = new IdentityHashMap<>();
		scanCharTriggers(text, matches, matchers);
		scanLiteralTriggers(text, matches, matchers);
		for (Custom custom : this.customs) {
			custom.find(text, matches);
		}
		if (matches.isEmpty()) {
			return null;
		}
		return apply(text, resolve(matches), tally);
	}

	private void scanCharTriggers(CharSequence text, List<Match> matches, Map<Detector, Matcher> matchers) {
		int detectors = this.charDetectors.size();
		if (detectors == 0) {
			return;
		}
		int[] starts = new int[detectors];
		int[] ends = new int[detectors];
		java.util.Arrays.fill(starts, -1);
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 128) {
				continue;
			}
			long bits = this.triggers[c];
			while (bits != 0) {
				int d = Long.numberOfTrailingZeros(bits);
				bits &= bits - 1;
				Detector detector = this.charDetectors.get(d);
				if (!detector.fires().fires(text, i)) {
					continue;
				}
				int start = Math.max(0, i - detector.before());
				int end = Math.min(length, i + detector.after() + 1);
				if (starts[d] >= 0 && start <= ends[d]) {
					ends[d] = Math.max(ends[d], end);
				}
				else {
					if (starts[d] >= 0) {
						find(detector, text, starts[d], ends[d], matches, matchers);
					}
					starts[d] = start;
					ends[d] = end;
				}
			}
		}
		for (int d = 0; d < detectors; d++) {
			if (starts[d] >= 0) {
				find(this.charDetectors.get(d), text, starts[d], ends[d], matches, matchers);
			}
		}
	}

	private void scanLiteralTriggers(CharSequence text, List<Match> matches, Map<Detector, Matcher> matchers) {
		for (Detector detector : this.literalDetectors) {
			int windowStart = -1;
			int windowEnd = -1;
			List<int[]> windows = new ArrayList<>();
			for (String literal : detector.triggerLiterals()) {
				for (int at = indexOf(text, literal, 0); at >= 0; at = indexOf(text, literal, at + 1)) {
					windows.add(new int[] { Math.max(0, at - detector.before()),
							Math.min(text.length(), at + literal.length() + detector.after()) });
				}
			}
			windows.sort(Comparator.comparingInt((int[] window) -> window[0]));
			for (int[] window : windows) {
				if (windowStart >= 0 && window[0] <= windowEnd) {
					windowEnd = Math.max(windowEnd, window[1]);
					continue;
				}
				if (windowStart >= 0) {
					find(detector, text, windowStart, windowEnd, matches, matchers);
				}
				windowStart = window[0];
				windowEnd = window[1];
			}
			if (windowStart >= 0) {
				find(detector, text, windowStart, windowEnd, matches, matchers);
			}
		}
	}

	private static void find(Detector detector, CharSequence text, int start, int end, List<Match> matches,
			Map<Detector, Matcher> matchers) {
		Matcher matcher = matchers.computeIfAbsent(detector,
				(d) -> d.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false));
		matcher.region(start, end);
		int group = detector.group();
		while (matcher.find()) {
			String value = matcher.group(group);
			if (detector.valid().test(value)) {
				matches.add(new Match(matcher.start(group), matcher.end(group), detector.type(),
						detector.mask().apply(value)));
			}
		}
	}

	private static int indexOf(CharSequence text, String literal, int from) {
		if (text instanceof String string) {
			return string.indexOf(literal, from);
		}
		int last = text.length() - literal.length();
		for (int at = from; at <= last; at++) {
			int i = 0;
			while (i < literal.length() && text.charAt(at + i) == literal.charAt(i)) {
				i++;
			}
			if (i == literal.length()) {
				return at;
			}
		}
		return -1;
	}

	/** Keeps non-overlapping matches: of two that overlap, the longer. */
	private static List<Match> resolve(List<Match> matches) {
		matches.sort(
				Comparator.comparingInt(Match::start).thenComparing(Comparator.comparingInt(Match::length).reversed()));
		List<Match> kept = new ArrayList<>(matches.size());
		for (Match match : matches) {
			if (kept.isEmpty()) {
				kept.add(match);
				continue;
			}
			Match last = kept.get(kept.size() - 1);
			if (match.start() >= last.end()) {
				kept.add(match);
			}
			else if (match.length() > last.length()) {
				kept.set(kept.size() - 1, match);
			}
		}
		return kept;
	}

	private static String apply(CharSequence text, List<Match> matches, RedactionTally tally) {
		StringBuilder masked = new StringBuilder(text.length());
		int at = 0;
		for (Match match : matches) {
			masked.append(text, at, match.start()).append(match.mask());
			at = match.end();
			tally.add(match.type());
		}
		return masked.append(text, at, text.length()).toString();
	}

	record Match(int start, int end, PiiType type, String mask) {

		int length() {
			return this.end - this.start;
		}

	}

	/** A custom term (literal, any case) or {@code /pattern/} (RE2). */
	private record Custom(Pattern literal, com.google.re2j.Pattern regex) {

		static Custom parse(String entry) {
			if (entry == null || entry.isBlank()) {
				throw new IllegalArgumentException("custom terms must not be empty");
			}
			if (entry.length() > MAX_CUSTOM_LENGTH) {
				throw new IllegalArgumentException("custom terms are at most " + MAX_CUSTOM_LENGTH + " characters");
			}
			if (entry.length() > 2 && entry.startsWith("/") && entry.endsWith("/")) {
				try {
					return new Custom(null, com.google.re2j.Pattern.compile(entry.substring(1, entry.length() - 1)));
				}
				catch (com.google.re2j.PatternSyntaxException ex) {
					throw new IllegalArgumentException("custom pattern " + entry + " is not a valid RE2 pattern");
				}
			}
			return new Custom(Pattern.compile(Pattern.quote(entry), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
					null);
		}

		void find(CharSequence text, List<Match> matches) {
			if (this.literal != null) {
				Matcher matcher = this.literal.matcher(text);
				while (matcher.find()) {
					matches.add(new Match(matcher.start(), matcher.end(), PiiType.CUSTOM,
							Masks.word(matcher.group(), 1, 0)));
				}
				return;
			}
			com.google.re2j.Matcher matcher = this.regex.matcher(text);
			while (matcher.find()) {
				if (matcher.end() > matcher.start()) {
					matches.add(new Match(matcher.start(), matcher.end(), PiiType.CUSTOM,
							Masks.word(matcher.group(), 1, 0)));
				}
			}
		}

	}

}
