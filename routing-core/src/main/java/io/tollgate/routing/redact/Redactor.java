package io.tollgate.routing.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of the chosen kinds in text. One pass over the characters looks up
 * each one in a table of trigger characters (digits, {@code @}, {@code :}, {@code -},
 * {@code .}, {@code +}, {@code _}, the capitals of known key prefixes) shared by every
 * detector; where a detector's trigger stands, its anchor decides from a few neighbours
 * whether a value can start there and where, and only then is its pattern tried, once,
 * anchored at that start. The work is linear in the text whatever it holds, and custom
 * patterns run on RE2/J, whose matching is linear by construction, so a pattern a tenant
 * sends cannot make Tollgate backtrack.
 */
public final class Redactor {

	/** The most custom terms and patterns one policy or request may name. */
	public static final int MAX_CUSTOM = 32;

	/** The longest custom term or pattern. */
	public static final int MAX_CUSTOM_LENGTH = 256;

	/**
	 * The largest program a custom pattern may compile to. RE2 matches in time linear in
	 * the text but proportional to the program too, and counted repetitions multiply
	 * ({@code ((a{100}){100}){100}} is a million instructions, and half a second to
	 * compile): a bound keeps what a tenant or a request can ask for cheap.
	 */
	public static final int MAX_PATTERN_PROGRAM = 1000;

	private final Detector[] detectors;

	/**
	 * For each ASCII character, the bit set of the triggers it stands for; a trigger is
	 * one of a detector's {@link Detector.Trigger}s.
	 */
	private final long[] triggers = new long[256];

	/** For each kind of character, the triggers it may stand before. */
	private final long[] before = new long[Detector.KIND_COUNT];

	/** For each kind of character, the triggers it may stand after. */
	private final long[] after = new long[Detector.KIND_COUNT];

	/** For each trigger, its detector. */
	private final int[] detectorOf;

	private final List<Custom> customs;

	private final Set<PiiType> types;

	private Redactor(Set<PiiType> types, List<Custom> customs) {
		this.types = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
		this.customs = customs;
		List<Detector> detectors = new ArrayList<>();
		for (PiiType type : types) {
			detectors.addAll(Detectors.of(type));
		}
		this.detectors = detectors.toArray(new Detector[0]);
		List<Integer> detectorOf = new ArrayList<>();
		for (int d = 0; d < this.detectors.length; d++) {
			for (Detector.Trigger trigger : this.detectors[d].triggers()) {
				int t = detectorOf.size();
				if (t == 64) {
					throw new IllegalStateException("more than 64 triggers");
				}
				detectorOf.add(d);
				for (char c : trigger.chars().toCharArray()) {
					this.triggers[c] |= 1L << t;
				}
				for (int kind = 0; kind < Detector.KIND_COUNT; kind++) {
					if ((trigger.before() & (1 << kind)) != 0) {
						this.before[kind] |= 1L << t;
					}
					if ((trigger.after() & (1 << kind)) != 0) {
						this.after[kind] |= 1L << t;
					}
				}
			}
		}
		this.detectorOf = detectorOf.stream().mapToInt(Integer::intValue).toArray();
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
		return this.detectors.length == 0 && this.customs.isEmpty();
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
		List<Match> matches = scanner().matches(text);
		return matches.isEmpty() ? null : apply(text, matches, tally);
	}

	/**
	 * A scanner for many texts in a row (the strings of one request), reusing its
	 * matchers; not thread-safe.
	 */
	Scanner scanner() {
		return new Scanner();
	}

	/** Finds what to mask in texts, one at a time. */
	final class Scanner {

		private final Matcher[] matchers = new Matcher[Redactor.this.detectors.length];

		/** Per detector: where its last attempt started and its last match ended. */
		private final int[] lastStart = new int[Redactor.this.detectors.length];

		private final int[] lastEnd = new int[Redactor.this.detectors.length];

		/** Which text each matcher was last reset to, by the count of texts scanned. */
		private final int[] textOf = new int[Redactor.this.detectors.length];

		private int texts;

		private Scanner() {
		}

		/**
		 * The values to mask in a text, in order, none overlapping (of two that overlap,
		 * the longer is kept).
		 */
		List<Match> matches(CharSequence text) {
			char[] chars = (text instanceof String string) ? string.toCharArray() : copy(text);
			return matches(text, chars);
		}

		/**
		 * The values to mask in a text whose characters are also at hand in an array (the
		 * trigger scan reads the array; anchors and patterns read the text).
		 * @param text the text
		 * @param chars its characters, from index 0 (the array may be longer)
		 */
		List<Match> matches(CharSequence text, char[] chars) {
			List<Match> matches = start();
			Detector[] detectors = Redactor.this.detectors;
			long[] triggers = Redactor.this.triggers;
			int length = text.length();
			for (int i = 0; i < length && detectors.length > 0; i++) {
				char c = chars[i];
				long bits = (c < 256) ? triggers[c] : 0;
				if (bits != 0) {
					// the kinds of the neighbours narrow the triggers down
					bits &= Redactor.this.before[(i > 0) ? Detector.kind(chars[i - 1]) : Detector.EDGE]
							& Redactor.this.after[(i + 1 < length) ? Detector.kind(chars[i + 1]) : Detector.EDGE];
					if (bits != 0) {
						fire(bits, text, i, matches);
					}
				}
			}
			return finish(text, matches);
		}

		/**
		 * The values to mask in a text all of whose characters are Latin-1, also at hand
		 * as bytes.
		 * @param text the text
		 * @param latin its characters as Latin-1 bytes, from index 0 (the array may be
		 * longer)
		 */
		List<Match> matches(CharSequence text, byte[] latin) {
			List<Match> matches = start();
			Detector[] detectors = Redactor.this.detectors;
			long[] triggers = Redactor.this.triggers;
			int length = text.length();
			for (int i = 0; i < length && detectors.length > 0; i++) {
				long bits = triggers[latin[i] & 0xFF];
				if (bits != 0) {
					bits &= Redactor.this.before[(i > 0) ? Detector.kind(latin[i - 1]) : Detector.EDGE]
							& Redactor.this.after[(i + 1 < length) ? Detector.kind(latin[i + 1]) : Detector.EDGE];
					if (bits != 0) {
						fire(bits, text, i, matches);
					}
				}
			}
			return finish(text, matches);
		}

		private List<Match> start() {
			this.texts++;
			java.util.Arrays.fill(this.lastStart, -1);
			java.util.Arrays.fill(this.lastEnd, 0);
			return new ArrayList<>();
		}

		private List<Match> finish(CharSequence text, List<Match> matches) {
			for (int i = 0; i < Redactor.this.customs.size(); i++) {
				Redactor.this.customs.get(i).find(text, Redactor.this.detectors.length + i, matches);
			}
			return (matches.size() > 1) ? resolve(matches) : matches;
		}

		private static char[] copy(CharSequence text) {
			char[] chars = new char[text.length()];
			for (int i = 0; i < chars.length; i++) {
				chars[i] = text.charAt(i);
			}
			return chars;
		}

		/** Lets the detectors of these triggers look at a trigger character. */
		private void fire(long bits, CharSequence text, int at, List<Match> matches) {
			Detector[] detectors = Redactor.this.detectors;
			int[] detectorOf = Redactor.this.detectorOf;
			while (bits != 0) {
				int d = detectorOf[Long.numberOfTrailingZeros(bits)];
				bits &= bits - 1;
				if (at < this.lastEnd[d]) {
					// inside this detector's last match: nothing can start before its end
					continue;
				}
				Detector detector = detectors[d];
				int start = detector.anchor().start(text, at);
				if (start < this.lastEnd[d] || start == this.lastStart[d]) {
					continue;
				}
				this.lastStart[d] = start;
				attempt(d, detector, text, start, matches);
			}
		}

		private void attempt(int d, Detector detector, CharSequence text, int start, List<Match> matches) {
			Matcher matcher = this.matchers[d];
			if (matcher == null) {
				matcher = detector.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
				this.matchers[d] = matcher;
			}
			else if (this.textOf[d] != this.texts) {
				matcher.reset(text);
			}
			this.textOf[d] = this.texts;
			matcher.region(start, text.length());
			if (!matcher.lookingAt()) {
				return;
			}
			this.lastEnd[d] = matcher.end();
			int group = detector.group();
			String value = matcher.group(group);
			if (detector.valid().test(value)) {
				matches.add(new Match(matcher.start(group), matcher.end(group), detector.type(),
						detector.mask().apply(value), d));
			}
		}

	}

	/** Keeps non-overlapping matches: of two that overlap, the longer. */
	private static List<Match> resolve(List<Match> matches) {
		matches.sort(Comparator.comparingInt(Match::start)
			.thenComparing(Comparator.comparingInt(Match::length).reversed())
			.thenComparingInt(Match::order));
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

	static String apply(CharSequence text, List<Match> matches, RedactionTally tally) {
		StringBuilder masked = new StringBuilder(text.length());
		int at = 0;
		for (Match match : matches) {
			masked.append(text, at, match.start()).append(match.mask());
			at = match.end();
			tally.add(match.type());
		}
		return masked.append(text, at, text.length()).toString();
	}

	/**
	 * A value to mask.
	 *
	 * @param start where it starts
	 * @param end where it ends
	 * @param type its kind
	 * @param mask what replaces it
	 * @param order the detector's place, which decides between equal matches
	 */
	record Match(int start, int end, PiiType type, String mask, int order) {

		int length() {
			return this.end - this.start;
		}

	}

	/** A counted repetition: {@code {n}}, {@code {n,}} or {@code {n,m}}. */
	private static final Pattern REPEAT = Pattern.compile("\\{(\\d{1,9})(?:,(\\d{0,9}))?}");

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
				String regex = entry.substring(1, entry.length() - 1);
				if (expandedSize(regex) > MAX_PATTERN_PROGRAM) {
					throw new IllegalArgumentException("custom pattern " + entry + " repeats too much");
				}
				com.google.re2j.Pattern pattern;
				try {
					pattern = com.google.re2j.Pattern.compile(regex);
				}
				catch (com.google.re2j.PatternSyntaxException ex) {
					throw new IllegalArgumentException("custom pattern " + entry + " is not a valid RE2 pattern");
				}
				if (pattern.programSize() > MAX_PATTERN_PROGRAM) {
					throw new IllegalArgumentException("custom pattern " + entry + " repeats too much");
				}
				return new Custom(null, pattern);
			}
			return new Custom(Pattern.compile(Pattern.quote(entry), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
					null);
		}

		/**
		 * An upper estimate of the size of the program a pattern compiles to, read from
		 * its text before compiling it: each atom counts one, and a counted repetition
		 * multiplies what it repeats by its upper bound.
		 */
		static long expandedSize(String regex) {
			java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>();
			long[] group = { 0 };
			long last = 0;
			int i = 0;
			while (i < regex.length()) {
				char c = regex.charAt(i);
				if (c == '(') {
					groups.push(group);
					group = new long[] { 0 };
					i++;
					continue;
				}
				if (c == ')' && !groups.isEmpty()) {
					last = group[0] + 1;
					group = groups.pop();
					group[0] += last;
					i++;
					continue;
				}
				if (c == '{') {
					java.util.regex.Matcher count = REPEAT.matcher(regex).region(i, regex.length());
					if (count.lookingAt()) {
						long max = (count.group(2) != null)
								? ((count.group(2).isEmpty()) ? bound(count.group(1)) + 1 : bound(count.group(2)))
								: bound(count.group(1));
						group[0] = Math.min(Long.MAX_VALUE / 4, group[0] + last * Math.max(0, max - 1));
						last = Math.min(Long.MAX_VALUE / 4, last * Math.max(1, max));
						i = count.end();
						continue;
					}
				}
				if (c == '[') {
					// a class is one atom: skip to its closing bracket
					int end = i + 1;
					if (end < regex.length() && regex.charAt(end) == '^') {
						end++;
					}
					if (end < regex.length() && regex.charAt(end) == ']') {
						end++;
					}
					while (end < regex.length() && regex.charAt(end) != ']') {
						end += (regex.charAt(end) == '\\') ? 2 : 1;
					}
					i = end + 1;
				}
				else if (c == '\\') {
					char escaped = (i + 1 < regex.length()) ? regex.charAt(i + 1) : ' ';
					i += 2;
					if ((escaped == 'p' || escaped == 'P') && i < regex.length() && regex.charAt(i) == '{') {
						int close = regex.indexOf('}', i);
						i = (close < 0) ? regex.length() : close + 1;
					}
				}
				else {
					i++;
				}
				last = 1;
				group[0]++;
			}
			long total = group[0];
			while (!groups.isEmpty()) {
				total += groups.pop()[0];
			}
			return total;
		}

		private static long bound(String digits) {
			return (digits.length() > 6) ? 1_000_000 : Long.parseLong(digits);
		}

		void find(CharSequence text, int order, List<Match> matches) {
			if (this.literal != null) {
				Matcher matcher = this.literal.matcher(text);
				while (matcher.find()) {
					matches.add(new Match(matcher.start(), matcher.end(), PiiType.CUSTOM,
							Masks.word(matcher.group(), 1, 0), order));
				}
				return;
			}
			com.google.re2j.Matcher matcher = this.regex.matcher(text);
			while (matcher.find()) {
				if (matcher.end() > matcher.start()) {
					matches.add(new Match(matcher.start(), matcher.end(), PiiType.CUSTOM,
							Masks.word(matcher.group(), 1, 0), order));
				}
			}
		}

	}

}
