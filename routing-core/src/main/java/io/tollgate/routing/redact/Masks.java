package io.tollgate.routing.redact;

/**
 * Masks that keep a hint of the original, so a reader can tell two masked values apart
 * and see what kind of value stood there: {@code jo****oe@co****ny.com},
 * {@code 44** **** **** ***9}. A mask is a function of the value alone, so one value is
 * masked the same way wherever it appears in a request.
 */
final class Masks {

	private Masks() {
	}

	/** Keeps {@code head} and {@code tail} characters of a word, stars in between. */
	static String word(String value, int head, int tail) {
		if (value.length() <= head + tail) {
			return value.isEmpty() ? value : value.charAt(0) + "*".repeat(value.length() - 1);
		}
		return value.substring(0, head) + "*".repeat(value.length() - head - tail)
				+ value.substring(value.length() - tail);
	}

	/** {@code john.doe@company.com} → {@code jo****oe@co****ny.com}. */
	static String email(String value) {
		int at = value.lastIndexOf('@');
		String local = value.substring(0, at);
		String domain = value.substring(at + 1);
		int dot = domain.lastIndexOf('.');
		String name = domain.substring(0, dot);
		String top = domain.substring(dot);
		return word(local, 2, 2) + "@" + word(name, 2, 2) + top;
	}

	/**
	 * Keeps the first {@code head} and last {@code tail} digits (or hex digits) of a
	 * value and every separator; {@code 4485 1234 5678 9019} → {@code 44** **** ****
	 * ***9}.
	 */
	static String digits(String value, int head, int tail) {
		int total = 0;
		for (int i = 0; i < value.length(); i++) {
			if (Character.isLetterOrDigit(value.charAt(i))) {
				total++;
			}
		}
		StringBuilder masked = new StringBuilder(value.length());
		int seen = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!Character.isLetterOrDigit(c)) {
				masked.append(c);
				continue;
			}
			masked.append((seen < head || seen >= total - tail) ? c : '*');
			seen++;
		}
		return masked.toString();
	}

	/** An IP address with its first and last groups kept: {@code 192.***.***.20}. */
	static String groups(String value, String separator) {
		String[] parts = value.split(java.util.regex.Pattern.quote(separator), -1);
		StringBuilder masked = new StringBuilder(value.length());
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				masked.append(separator);
			}
			boolean keep = i == 0 || i == parts.length - 1 || parts[i].isEmpty();
			masked.append(keep ? parts[i] : "*".repeat(parts[i].length()));
		}
		return masked.toString();
	}

	/** A secret with its recognisable prefix kept and the rest hidden entirely. */
	static String secret(String value, int prefix) {
		return value.substring(0, Math.min(prefix, value.length())) + "****";
	}

}
