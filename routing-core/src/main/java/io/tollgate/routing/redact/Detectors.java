package io.tollgate.routing.redact;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The built-in detectors. */
final class Detectors {

	private static final Map<PiiType, List<Detector>> BUILT_IN = build();

	private Detectors() {
	}

	static List<Detector> of(PiiType type) {
		return BUILT_IN.getOrDefault(type, List.of());
	}

	private static Map<PiiType, List<Detector>> build() {
		Map<PiiType, List<Detector>> detectors = new EnumMap<>(PiiType.class);
		detectors.put(PiiType.EMAIL, List.of(Detector.onChars(PiiType.EMAIL,
				"(?<![A-Za-z0-9_.%+-])[A-Za-z0-9_.%+-]{1,64}+@(?:[A-Za-z0-9-]{1,63}+\\.){1,8}+[A-Za-z]{2,24}+(?![A-Za-z0-9_-])",
				"@", Detectors::emailAt, 65, 260, (value) -> true, Masks::email)));
		detectors.put(PiiType.PHONE, List.of(
				// international: +country, then groups of digits with single separators
				Detector.onChars(PiiType.PHONE,
						"(?<![A-Za-z0-9_+])\\+[1-9]\\d{0,2}+(?:[ .-]?\\(\\d{1,4}+\\))?+(?:[ .-]?\\d{1,5}+){1,6}+(?![A-Za-z0-9_])",
						"+", Detector.Trigger.DIGIT_AFTER, 1, 32, Detectors::phoneDigits,
						(value) -> Masks.digits(value, 2, 2)),
				// North American: (415) 555-0132, 415-555-0132, 415.555.0132
				Detector.onChars(PiiType.PHONE,
						"(?<![A-Za-z0-9_-])(?:\\(\\d{3}\\) ?|\\d{3}[-.])\\d{3}[-.]\\d{4}(?![A-Za-z0-9_-])", "(-.",
						Detectors::northAmericanPhone, 10, 14, (value) -> true, (value) -> Masks.digits(value, 0, 2))));
		detectors.put(PiiType.IP_ADDRESS,
				List.of(Detector.onChars(PiiType.IP_ADDRESS,
						"(?<![A-Za-z0-9_.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![A-Za-z0-9_]|\\.\\d)", ".", Detectors::ipv4Dot,
						12, 12, Detectors::ipv4, (value) -> Masks.groups(value, ".")),
						Detector.onChars(PiiType.IP_ADDRESS,
								"(?<![A-Za-z0-9_:])[0-9A-Fa-f]{0,4}+(?::[0-9A-Fa-f]{0,4}+){2,7}+(?![A-Za-z0-9_:])", ":",
								Detectors::ipv6Colon, 40, 40, Detectors::ipv6, (value) -> Masks.groups(value, ":"))));
		detectors.put(PiiType.UUID, List.of(Detector.onChars(PiiType.UUID,
				"(?<![A-Za-z0-9_-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![A-Za-z0-9_-])",
				"-", Detectors::uuidDash, 9, 28, (value) -> true, (value) -> Masks.digits(value, 4, 4))));
		detectors.put(PiiType.MAC_ADDRESS, List.of(Detector.onChars(PiiType.MAC_ADDRESS,
				"(?<![A-Za-z0-9_:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4}(?![A-Za-z0-9_:-])", ":-",
				Detectors::macSeparator, 3, 15, (value) -> true,
				(value) -> Masks.groups(value, value.substring(2, 3)))));
		detectors.put(PiiType.US_SSN,
				List.of(Detector.onChars(PiiType.US_SSN, "(?<![A-Za-z0-9_-])\\d{3}-\\d{2}-\\d{4}(?![A-Za-z0-9_-])", "-",
						Detectors::ssnDash, 4, 8, Detectors::ssn, (value) -> "***-**-**" + value.substring(9))));
		detectors.put(PiiType.CREDIT_CARD,
				List.of(Detector.onChars(PiiType.CREDIT_CARD,
						"(?<![A-Za-z0-9_-])\\d(?:[ -]?\\d){12,18}+(?![A-Za-z0-9_-])", "0123456789", Detectors::cardRun,
						38, 38, Detectors::card, (value) -> Masks.digits(value, 2, 1))));
		detectors.put(PiiType.IBAN,
				List.of(Detector.onChars(PiiType.IBAN,
						"(?<![A-Za-z0-9_])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}+(?: ?[A-Z0-9]{1,3})?+(?![A-Za-z0-9_])",
						"0123456789", Detectors::ibanCheckDigits, 3, 42, Checksums::iban,
						(value) -> Masks.digits(value, 2, 2))));
		detectors.put(PiiType.SECRET, secrets());
		return detectors;
	}

	private static List<Detector> secrets() {
		String tail = "(?![A-Za-z0-9_-])";
		return List.of(
				// provider API keys: Anthropic, OpenAI, Tollgate, Stripe, GitHub, Slack,
				// AWS, Google
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,256}+" + tail,
						0, List.of("sk-"), 0, 280, (value) -> Masks.secret(value, value.startsWith("sk-ant-") ? 7 : 3)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])tg-[A-Za-z0-9_-]{20,256}+" + tail, 0,
						List.of("tg-"), 0, 260, (value) -> Masks.secret(value, 3)),
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])[rsp]k_(?:live|test)_[A-Za-z0-9]{16,128}+" + tail, 0,
						List.of("k_live_", "k_test_"), 1, 140, (value) -> Masks.secret(value, 8)),
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{30,255}+|github_pat_[A-Za-z0-9_]{22,255}+)" + tail,
						0, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), 0, 270,
						(value) -> Masks.secret(value, 4)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,255}+" + tail, 0,
						List.of("xox"), 0, 270, (value) -> Masks.secret(value, 5)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9_])", 0,
						List.of("AKIA", "ASIA"), 0, 20, (value) -> Masks.secret(value, 4)),
				Detector.onLiterals(PiiType.SECRET, "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}" + tail, 0,
						List.of("AIza"), 0, 40, (value) -> Masks.secret(value, 4)),
				// JSON Web Tokens: header.payload.signature, base64url
				Detector.onLiterals(PiiType.SECRET,
						"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}+\\.eyJ[A-Za-z0-9_-]{5,8192}+\\.[A-Za-z0-9_-]{5,4096}+"
								+ tail,
						0, List.of("eyJ"), 0, 16400, (value) -> Masks.secret(value, 3)),
				// the credential after Bearer, whatever its form
				Detector.onLiterals(PiiType.SECRET, "(?i:bearer)[ \\t]++([A-Za-z0-9._~+/=-]{16,4096}+)", 1,
						List.of("earer"), 1, 4110, (value) -> Masks.secret(value, 0)),
				// PEM private keys, whole block
				Detector.onLiterals(PiiType.SECRET,
						"-----BEGIN (?:[A-Z0-9]++ ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\\s:,.]{0,16384}+-----END (?:[A-Z0-9]++ ){0,3}PRIVATE KEY-----",
						0, List.of("-----BEGIN "), 0, 16500, (value) -> "-----BEGIN PRIVATE KEY-----****"));
	}

	private static boolean emailAt(CharSequence text, int at) {
		return Detector.Trigger.word(text, at - 1) && Detector.Trigger.word(text, at + 1);
	}

	private static boolean northAmericanPhone(CharSequence text, int at) {
		// (415) or the first separator of 415-555 / 415.555
		return (text.charAt(at) == '(') ? Detector.Trigger.digit(text, at + 1)
				: run(text, at - 3, 3, DIGIT) && run(text, at + 1, 3, DIGIT);
	}

	private static boolean ipv6Colon(CharSequence text, int at) {
		// two more colons close by: a time (12:30:45) has one
		return Detector.Trigger.hex(text, at - 1)
				&& (Detector.Trigger.hex(text, at + 1) || (at + 1 < text.length() && text.charAt(at + 1) == ':'))
				&& count(text, at + 1, 10, ':') >= 2;
	}

	/** The first dot of an address: a digit on both sides and two more dots close by. */
	private static boolean ipv4Dot(CharSequence text, int at) {
		return Detector.Trigger.DIGITS_AROUND.fires(text, at) && count(text, at + 1, 8, '.') >= 2;
	}

	/** The first dash of a UUID: eight hex digits before, four after, then a dash. */
	private static boolean uuidDash(CharSequence text, int at) {
		return run(text, at - 8, 8, HEX) && run(text, at + 1, 4, HEX) && at + 5 < text.length()
				&& text.charAt(at + 5) == '-';
	}

	/** The first separator of a MAC address: XX:XX:XX, the same separator twice. */
	private static boolean macSeparator(CharSequence text, int at) {
		return run(text, at - 2, 2, HEX) && !Detector.Trigger.hex(text, at - 3) && run(text, at + 1, 2, HEX)
				&& at + 3 < text.length() && text.charAt(at + 3) == text.charAt(at) && run(text, at + 4, 2, HEX);
	}

	/** The first dash of 123-45-6789. */
	private static boolean ssnDash(CharSequence text, int at) {
		return run(text, at - 3, 3, DIGIT) && run(text, at + 1, 2, DIGIT) && at + 3 < text.length()
				&& text.charAt(at + 3) == '-';
	}

	private static final int DIGIT = 0;

	private static final int HEX = 1;

	/**
	 * Whether {@code length} characters from {@code from} are all digits (or hex digits).
	 */
	private static boolean run(CharSequence text, int from, int length, int kind) {
		if (from < 0 || from + length > text.length()) {
			return false;
		}
		for (int i = from; i < from + length; i++) {
			if (kind == DIGIT ? !Detector.Trigger.digit(text, i) : !Detector.Trigger.hex(text, i)) {
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
		if (Detector.Trigger.digit(text, at - 1)) {
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
		if (at < 2 || !Detector.Trigger.digit(text, at + 1)) {
			return false;
		}
		char first = text.charAt(at - 2);
		char second = text.charAt(at - 1);
		return first >= 'A' && first <= 'Z' && second >= 'A' && second <= 'Z' && !Detector.Trigger.word(text, at - 3);
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
