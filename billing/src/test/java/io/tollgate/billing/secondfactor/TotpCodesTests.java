package io.tollgate.billing.secondfactor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TotpCodesTests {

	/** RFC 6238, appendix B: the SHA-1 seed "12345678901234567890". */
	static final String RFC_SECRET = new Base32()
		.encodeToString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

	@Test
	void matchesTheRfc6238TestVectorsInSixDigits() {
		// the RFC's eight-digit codes 94287082, 07081804, 14050471, 89005924 cut to their
		// last six
		assertThat(TotpCodes.code(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
		assertThat(TotpCodes.code(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
		assertThat(TotpCodes.code(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1111111111)))).isEqualTo("050471");
		assertThat(TotpCodes.code(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
	}

	@Test
	void acceptsTheCurrentStepAndOneEitherSide() {
		String secret = TotpCodes.newSecret();
		Instant now = Instant.parse("2026-11-25T12:00:15Z");
		long current = TotpCodes.step(now);
		for (long step = current - 1; step <= current + 1; step++) {
			assertThat(TotpCodes.matchingStep(secret, TotpCodes.code(secret, step), now)).as("step %d", step - current)
				.hasValue(step);
		}
	}

	@Test
	void refusesCodesTwoStepsAwayOrMalformed() {
		String secret = TotpCodes.newSecret();
		Instant now = Instant.parse("2026-11-25T12:00:15Z");
		long current = TotpCodes.step(now);
		String farPast = TotpCodes.code(secret, current - 2);
		String farFuture = TotpCodes.code(secret, current + 2);
		// a random secret could give the same code for two steps; then the case says
		// nothing
		if (!farPast.equals(TotpCodes.code(secret, current)) && !farPast.equals(TotpCodes.code(secret, current - 1))) {
			assertThat(TotpCodes.matchingStep(secret, farPast, now)).isEmpty();
		}
		if (!farFuture.equals(TotpCodes.code(secret, current))
				&& !farFuture.equals(TotpCodes.code(secret, current + 1))) {
			assertThat(TotpCodes.matchingStep(secret, farFuture, now)).isEmpty();
		}
		assertThat(TotpCodes.matchingStep(secret, "12345", now)).isEmpty();
		assertThat(TotpCodes.matchingStep(secret, "abcdef", now)).isEmpty();
		assertThat(TotpCodes.matchingStep(secret, null, now)).isEmpty();
	}

	@Test
	void acceptsACodeTypedWithASpace() {
		String secret = TotpCodes.newSecret();
		Instant now = Instant.parse("2026-11-25T12:00:15Z");
		String code = TotpCodes.code(secret, TotpCodes.step(now));
		assertThat(TotpCodes.matchingStep(secret, code.substring(0, 3) + " " + code.substring(3), now))
			.hasValue(TotpCodes.step(now));
	}

	@Test
	void newSecretsAre160BitsOfBase32() {
		String secret = TotpCodes.newSecret();
		assertThat(secret).matches("[A-Z2-7]{32}");
		assertThat(new Base32().decode(secret)).hasSize(20);
		assertThat(TotpCodes.newSecret()).isNotEqualTo(secret);
	}

}
