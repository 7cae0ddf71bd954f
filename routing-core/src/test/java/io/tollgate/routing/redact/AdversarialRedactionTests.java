package io.tollgate.routing.redact;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs built to make regular expressions backtrack. The work is counted in character
 * reads, not timed: doubling the input must no more than double the reads (within slack),
 * and no input may cost more than a fixed number of reads per character.
 */
class AdversarialRedactionTests {

	private static final Redactor ALL = Redactor.of(PiiType.builtIn(), List.of("falcon", "/(a|aa)+b/"));

	/** Reads per input character that no input may exceed. */
	private static final long READS_PER_CHAR = 4_000;

	static Stream<String> units() {
		return Stream.of("a", "@", "a@", "aaaaaaaaaaaaaaaaaaaaaaaaa@", "1", "1 ", "1-", "1.", "+1", "+1 2", ":", "a:",
				"0:", "1a-", "-", "--", "sk-", "sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "eyJ", "eyJaaaaa.",
				"eyJaaaaa.eyJaaaa.", "Bearer ", "bearer aaaaaaaaaaaaaaaaa", "-----BEGIN PRIVATE KEY-----",
				"-----BEGIN PRIVATE KEY-----AAAA\n", "GB82 ", "GB82WEST", "AKIA", "ghp_", "xoxb-", "00:1A:",
				"123e4567-", "(415) ", "a.b@c.", "x@y.zz.", "falcon", "aaaaaaaa");
	}

	@ParameterizedTest
	@MethodSource("units")
	void worksInLinearTimeOnRepeatedPatterns(String unit) {
		long small = reads(unit, 20_000);
		long large = reads(unit, 40_000);
		assertThat(large).as("reads for 40k characters against 20k of %s", unit)
			.isLessThanOrEqualTo(small * 5 / 2 + 1000);
	}

	/** Units aimed at the anchors: where they look back or ahead from a trigger. */
	static Stream<String> anchorUnits() {
		return Stream.of("1:", "a1:", "ff:", "1.", "1.2", "12.", "1-", "1-1", "123-45-", "00-1A-", "0:0:", "+1 (",
				"4111 ", "4-", "GB8", "GB82 1", "sk-a", "tg-a", "k_live_", "github_pat_", "ghp_a", "xoxb-a", "AKIA1",
				"AIza", "eyJa.", "Bearer a", "BEARER ", "-----BEGIN RSA ", "-----BEGIN PRIVATE KEY-----\n", "a.",
				"a@b.", "a@b.c", "\n", "\u00e9@", "1\u00e9");
	}

	@ParameterizedTest
	@MethodSource("anchorUnits")
	void anchorsWorkInLinearTimeOnRepeatedPatterns(String unit) {
		worksInLinearTimeOnRepeatedPatterns(unit);
	}

	private static long reads(String unit, int length) {
		StringBuilder text = new StringBuilder(length + unit.length());
		while (text.length() < length) {
			text.append(unit);
		}
		CountingSequence counted = new CountingSequence(text.toString(), READS_PER_CHAR * text.length());
		ALL.redactSequence(counted, new RedactionTally());
		return counted.reads;
	}

	/** A character sequence that counts its reads and fails past a budget. */
	private static final class CountingSequence implements CharSequence {

		private final String text;

		private final long budget;

		long reads;

		CountingSequence(String text, long budget) {
			this.text = text;
			this.budget = budget;
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public char charAt(int index) {
			if (++this.reads > this.budget) {
				throw new AssertionError("more than " + this.budget + " character reads: super-linear work");
			}
			return this.text.charAt(index);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.text.subSequence(start, end);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
