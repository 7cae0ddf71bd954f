package io.tollgate.routing.redact;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.tollgate.routing.redact.Detector.Trigger;

import static io.tollgate.routing.redact.Detector.ANY;
import static io.tollgate.routing.redact.Detector.DASH;
import static io.tollgate.routing.redact.Detector.DIGIT;
import static io.tollgate.routing.redact.Detector.HEX;
import static io.tollgate.routing.redact.Detector.HEX_UPPER;
import static io.tollgate.routing.redact.Detector.OTHER;
import static io.tollgate.routing.redact.Detector.SPACE;
import static io.tollgate.routing.redact.Detector.UPPER;
import static io.tollgate.routing.redact.Detector.WORD;

/** The built-in detectors. */
final class Detectors {

	private static final String DIGITS = "0123456789";

	private static final Map<PiiType, List<Detector>> BUILT_IN = build();

	private Detectors() {
	}

	static List<Detector> of(PiiType type) {
		return BUILT_IN.getOrDefault(type, List.of());
	}

	private static Map<PiiType, List<Detector>> build() {
		Map<PiiType, List<Detector>> detectors = new EnumMap<>(PiiType.class);
		// a dot ends a domain label only where another label follows, so that the full
		// stop after an address at the end of a sentence is not taken for part of it
		detectors.put(PiiType.EMAIL, List.of(Detector.of(PiiType.EMAIL,
				"(?<![A-Za-z0-9_.%+-])[A-Za-z0-9_.%+-]{1,64}+@(?:[A-Za-z0-9-]{1,63}+\\.(?=[A-Za-z0-9-])){1,8}+[A-Za-z]{2,24}+(?![A-Za-z0-9_-])",
				Detectors::emailStart, (value) -> true, Masks::email, Trigger.of("@", WORD, WORD))));
		detectors.put(PiiType.PHONE, List.of(
				// international: +country, then groups of digits with single separators
				Detector.of(PiiType.PHONE,
						"(?<![A-Za-z0-9_+])\\+[1-9]\\d{0,2}+(?:[ .-]?\\(\\d{1,4}+\\))?+(?:[ .-]?\\d{1,5}+){1,6}+(?![A-Za-z0-9_])",
						(text, at) -> at, Detectors::phoneDigits, (value) -> Masks.digits(value, 2, 2),
						Trigger.of("+", ANY, DIGIT)),
				// North American: (415) 555-0132, 415-555-0132, 415.555.0132
				Detector.of(PiiType.PHONE,
						"(?<![A-Za-z0-9_-])(?:\\(\\d{3}\\) ?|\\d{3}[-.])\\d{3}[-.]\\d{4}(?![A-Za-z0-9_-])",
						Detectors::northAmericanPhoneStart, (value) -> true, (value) -> Masks.digits(value, 0, 2),
						Trigger.of("(", ANY, DIGIT), Trigger.of("-.", DIGIT, DIGIT))));
		detectors.put(PiiType.IP_ADDRESS,
				List.of(Detector.of(PiiType.IP_ADDRESS,
						"(?<![A-Za-z0-9_.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![A-Za-z0-9_]|\\.\\d)", Detectors::ipv4Start,
						Detectors::ipv4, (value) -> Masks.groups(value, "."), Trigger.of(".", DIGIT, DIGIT)),
						Detector.of(PiiType.IP_ADDRESS,
								"(?<![A-Za-z0-9_:])[0-9A-Fa-f]{0,4}+(?::[0-9A-Fa-f]{0,4}+){2,7}+(?![A-Za-z0-9_:])",
								Detectors::ipv6Start, Detectors::ipv6, (value) -> Masks.groups(value, ":"),
								Trigger.of(":", HEX, HEX | OTHER))));
		detectors.put(PiiType.UUID, List.of(Detector.of(PiiType.UUID,
				"(?<![A-Za-z0-9_-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![A-Za-z0-9_-])",
				(text, at) -> uuidDash(text, at) ? at - 8 : -1, (value) -> true, (value) -> Masks.digits(value, 4, 4),
				Trigger.of("-", HEX, HEX))));
		detectors.put(PiiType.MAC_ADDRESS, List.of(Detector.of(PiiType.MAC_ADDRESS,
				"(?<![A-Za-z0-9_:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4}(?![A-Za-z0-9_:-])",
				(text, at) -> macSeparator(text, at) ? at - 2 : -1, (value) -> true,
				(value) -> Masks.groups(value, value.substring(2, 3)), Trigger.of(":-", HEX, HEX))));
		detectors.put(PiiType.US_SSN,
				List.of(Detector.of(PiiType.US_SSN, "(?<![A-Za-z0-9_-])\\d{3}-\\d{2}-\\d{4}(?![A-Za-z0-9_-])",
						(text, at) -> ssnDash(text, at) ? at - 3 : -1, Detectors::ssn,
						(value) -> "***-**-**" + value.substring(9), Trigger.of("-", DIGIT, DIGIT))));
		detectors.put(PiiType.CREDIT_CARD,
				List.of(Detector.of(PiiType.CREDIT_CARD, "(?<![A-Za-z0-9_-])\\d(?:[ -]?\\d){12,18}+(?![A-Za-z0-9_-])",
						(text, at) -> cardRun(text, at) ? at : -1, Detectors::card,
						(value) -> Masks.digits(value, 2, 1),
						Trigger.of(DIGITS, OTHER | SPACE, DIGIT | DASH | SPACE))));
		detectors.put(PiiType.IBAN,
				List.of(Detector.of(PiiType.IBAN,
						"(?<![A-Za-z0-9_])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}+(?: ?[A-Z0-9]{1,3})?+(?![A-Za-z0-9_])",
						(text, at) -> ibanCheckDigits(text, at) ? at - 2 : -1, Checksums::iban,
						(value) -> Masks.digits(value, 2, 2), Trigger.of(DIGITS, HEX_UPPER | UPPER, DIGIT))));
		detectors.put(PiiType.SECRET, secrets());
		return detectors;
	}

	private static List<Detector> secrets() {
		String tail = "(?![A-Za-z0-9_-])";
		return List.of(
				// provider API keys: Anthropic, OpenAI, Tollgate, Stripe, GitHub, Slack,
				// AWS, Google
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,256}+" + tail,
						0, new String[] { "sk-" }, 0,
						(value) -> Masks.secret(value, value.startsWith("sk-ant-") ? 7 : 3)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])tg-[A-Za-z0-9_-]{20,256}+" + tail, 0,
						new String[] { "tg-" }, 0, (value) -> Masks.secret(value, 3)),
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])[rsp]k_(?:live|test)_[A-Za-z0-9]{16,128}+" + tail, 0,
						new String[] { "k_live_", "k_test_" }, 1, (value) -> Masks.secret(value, 8)),
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{30,255}+|github_pat_[A-Za-z0-9_]{22,255}+)" + tail,
						0, new String[] { "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_" }, 0,
						(value) -> Masks.secret(value, 4)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,255}+" + tail, 0,
						new String[] { "xox" }, 0, (value) -> Masks.secret(value, 5)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9_])", 0,
						new String[] { "AKIA", "ASIA" }, 0, (value) -> Masks.secret(value, 4)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}" + tail, 0,
						new String[] { "AIza" }, 0, (value) -> Masks.secret(value, 4)),
				// JSON Web Tokens: header.payload.signature, base64url
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}+\\.eyJ[A-Za-z0-9_-]{5,8192}+\\.[A-Za-z0-9_-]{5,4096}+"
								+ tail,
						0, new String[] { "eyJ" }, 0, (value) -> Masks.secret(value, 3)),
				// the credential after Bearer, whatever its form
				Detector.onLiterals(PiiType.SECRET, "(?i:bearer)[ \\t]++([A-Za-z0-9._~+/=-]{16,4096}+)", 1,
						new String[] { "Bearer", "bearer", "BEARER" }, 0, (value) -> Masks.secret(value, 0)),
				// PEM private keys, whole block
				Detector.onLiterals(PiiType.SECRET,
						"-----BEGIN (?:[A-Z0-9]++ ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\\s:,.]{0,16384}+-----END (?:[A-Z0-9]++ ){0,3}PRIVATE KEY-----",
						0, new String[] { "-----BEGIN " }, 0, (value) -> "-----BEGIN PRIVATE KEY-----****"));
	}

	/**
	 * An {@code @} with a word character on both sides: the start of the run of
	 * local-part characters before it.
	 */
	private static int emailStart(CharSequence text, int at) {
		if (!Detector.word(text, at - 1) || !Detector.word(text, at + 1)) {
			return -1;
		}
		int start = at;
		int limit = Math.max(0, at - 65);
		while (start > limit && localPart(text.charAt(start - 1))) {
			start--;
		}
		return start;
	}

	private static boolean localPart(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
				|| c == '%' || c == '+' || c == '-';
	}

	/** {@code (415)}, or the first separator of 415-555 / 415.555. */
	private static int northAmericanPhoneStart(CharSequence text, int at) {
		if (text.charAt(at) == '(') {
			return Detector.digit(text, at + 1) ? at : -1;
		}
		return (run(text, at - 3, 3, DIGIT) && run(text, at + 1, 3, DIGIT)) ? at - 3 : -1;
	}

	/** The first dot of an address: a digit on both sides and two more dots close by. */
	private static int ipv4Start(CharSequence text, int at) {
		if (!Detector.digit(text, at - 1) || !Detector.digit(text, at + 1) || count(text, at + 1, 8, '.') < 2) {
			return -1;
		}
		int start = at - 1;
		while (start > 0 && at - start < 4 && Detector.digit(text, start - 1)) {
			start--;
		}
		return start;
	}

	/**
	 * A colon with two more close by (a time like 12:30:45 has one): the start of the run
	 * of hex digits and colons it stands in.
	 */
	private static int ipv6Start(CharSequence text, int at) {
		if (!Detector.hex(text, at - 1)
				|| !(Detector.hex(text, at + 1) || (at + 1 < text.length() && text.charAt(at + 1) == ':'))
				|| count(text, at + 1, 10, ':') < 2) {
			return -1;
		}
		int start = at;
		int limit = Math.max(0, at - 40);
		while (start > limit && (Detector.hex(text, start - 1) || text.charAt(start - 1) == ':')) {
			start--;
		}
		return start;
	}

	/** The first dash of a UUID: eight hex digits before, four after, then a dash. */
	private static boolean uuidDash(CharSequence text, int at) {
		return run(text, at - 8, 8, HEX) && run(text, at + 1, 4, HEX) && at + 5 < text.length()
				&& text.charAt(at + 5) == '-';
	}

	/**
	 * The first separator of a MAC address: the same separator four more times, three
	 * apart.
	 */
	private static boolean macSeparator(CharSequence text, int at) {
		char separator = text.charAt(at);
		return run(text, at - 2, 2, HEX) && !asciiWordOr(text, at - 3, ':', '-') && at + 14 < text.length()
				&& text.charAt(at + 3) == separator && text.charAt(at + 6) == separator
				&& text.charAt(at + 9) == separator && text.charAt(at + 12) == separator;
	}

	/** The first dash of 123-45-6789, not inside a longer word or number. */
	private static boolean ssnDash(CharSequence text, int at) {
		return run(text, at - 3, 3, DIGIT) && !asciiWordOr(text, at - 4, '-', '-') && run(text, at + 1, 2, DIGIT)
				&& at + 3 < text.length() && text.charAt(at + 3) == '-';
	}

	/**
	 * Whether the character at an index is an ASCII letter, digit or underscore, or one
	 * of two others: what the patterns' look-behinds refuse before a value.
	 */
	private static boolean asciiWordOr(CharSequence text, int at, char one, char other) {
		if (at < 0) {
			return false;
		}
		char c = text.charAt(at);
		return (c < 128 && (WORD & (1 << Detector.kind(c))) != 0) || c == one || c == other;
	}

	/**
	 * Whether {@code length} characters from {@code from} are all digits (or hex digits).
	 */
	private static boolean run(CharSequence text, int from, int length, int kind) {
		if (from < 0 || from + length > text.length()) {
			return false;
		}
		for (int i = from; i < from + length; i++) {
			if (kind == DIGIT ? !Detector.digit(text, i) : !Detector.hex(text, i)) {
				return false;
			}
		}
		return true;
	}

	private static int count(CharSequence text, int from, int length, char c) {
		int count = 0;
		int end = Math.min(text.length(), from + length);
		for (int i = from; i < end; i++) {
			if (text.charAt(i) == c) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The first digit of a run holding at least 13 digits among single spaces or dashes.
	 */
	private static boolean cardRun(CharSequence text, int at) {
		if (Detector.digit(text, at - 1)) {
			return false;
		}
		int digits = 0;
		int end = Math.min(text.length(), at + 38);
		for (int i = at; i < end && digits < 13; i++) {
			char c = text.charAt(i);
			if (c >= '0' && c <= '9') {
				digits++;
			}
			else if (c != ' ' && c != '-') {
				break;
			}
		}
		return digits >= 13;
	}

	/** The first check digit of an IBAN: two capitals before it, a digit after. */
	private static boolean ibanCheckDigits(CharSequence text, int at) {
		if (at < 2 || !Detector.digit(text, at + 1)) {
			return false;
		}
		char first = text.charAt(at - 2);
		char second = text.charAt(at - 1);
		return first >= 'A' && first <= 'Z' && second >= 'A' && second <= 'Z' && !Detector.word(text, at - 3);
	}

	private static boolean phoneDigits(String value) {
		long digits = value.chars().filter(Character::isDigit).count();
		return digits >= 8 && digits <= 15;
	}

	private static boolean ipv4(String value) {
		for (String part : value.split("\\.")) {
			if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
				return false;
			}
		}
		return true;
	}

	/** A full IPv6 address: eight groups, or fewer with one {@code ::}. */
	private static boolean ipv6(String value) {
		int gap = value.indexOf("::");
		if (gap >= 0 && value.indexOf("::", gap + 1) >= 0) {
			return false;
		}
		String[] groups = value.split(":", -1);
		int nonEmpty = 0;
		for (int i = 0; i < groups.length; i++) {
			String group = groups[i];
			if (group.isEmpty()) {
				boolean partOfGap = gap >= 0;
				if (!partOfGap) {
					return false;
				}
				continue;
			}
			if (group.length() > 4) {
				return false;
			}
			nonEmpty++;
		}
		if (gap < 0) {
			return nonEmpty == 8;
		}
		// a gap stands for at least one group; short forms like "a::b" or "fe80::1" are
		// too common in prose and code (and too little personal) to mask
		return nonEmpty >= 3 && nonEmpty <= 7;
	}

	private static boolean ssn(String value) {
		String area = value.substring(0, 3);
		return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9' && !value.startsWith("00", 4)
				&& !value.endsWith("0000");
	}

	/**
	 * Luhn, a card length, and an issuer prefix that exists (Visa, Mastercard, Amex,
	 * Discover, JCB, ...).
	 */
	private static boolean card(String value) {
		String digits = value.replaceAll("[ -]", "");
		if (digits.length() < 13 || digits.length() > 19) {
			return false;
		}
		char first = digits.charAt(0);
		if (first < '2' || first > '6') {
			return false;
		}
		return Checksums.luhn(digits);
	}

}
