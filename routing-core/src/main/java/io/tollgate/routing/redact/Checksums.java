package io.tollgate.routing.redact;

/** The check digits that tell a real card or account number from a look-alike. */
final class Checksums {

	private Checksums() {
	}

	/** Luhn (mod 10) over the digits of {@code text}, ignoring everything else. */
	static boolean luhn(CharSequence text) {
		int sum = 0;
		boolean twice = false;
		for (int i = text.length() - 1; i >= 0; i--) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				continue;
			}
			int digit = c - '0';
			if (twice) {
				digit *= 2;
				if (digit > 9) {
					digit -= 9;
				}
			}
			sum += digit;
			twice = !twice;
		}
		return sum % 10 == 0;
	}

	/**
	 * ISO 13616 IBAN check: the first four characters moved to the end, letters as
	 * numbers 10 to 35, the whole number mod 97 equals 1. Spaces are ignored.
	 */
	static boolean iban(CharSequence text) {
		StringBuilder compact = new StringBuilder(34);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != ' ') {
				compact.append(c);
			}
		}
		if (compact.length() < 15 || compact.length() > 34) {
			return false;
		}
		String rearranged = compact.substring(4) + compact.substring(0, 4);
		int remainder = 0;
		for (int i = 0; i < rearranged.length(); i++) {
			char c = rearranged.charAt(i);
			if (c >= '0' && c <= '9') {
				remainder = (remainder * 10 + (c - '0')) % 97;
			}
			else if (c >= 'A' && c <= 'Z') {
				remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
			}
			else {
				return false;
			}
		}
		return remainder == 1;
	}

}
