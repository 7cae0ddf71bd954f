package io.tollgate.billing.secondfactor;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time codes (RFC 6238) as authenticator apps make them: HMAC-SHA1, six
 * digits, 30-second steps, 160-bit secrets written in Base32. A code is accepted for the
 * current step and one step either side, so a phone's clock may be up to about 30 seconds
 * off; which step matched is returned so that the caller can refuse a replay.
 */
public final class TotpCodes {

	/** Length of a time step. */
	public static final Duration STEP = Duration.ofSeconds(30);

	/** Digits of a code. */
	public static final int DIGITS = 6;

	/** Steps accepted either side of the current one. */
	public static final int DRIFT = 1;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator(STEP,
			DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

	private TotpCodes() {
	}

	/** A new random secret, Base32 without padding (what authenticator apps take). */
	public static String newSecret() {
		byte[] secret = new byte[20];
		RANDOM.nextBytes(secret);
		return new Base32().encodeToString(secret).replace("=", "");
	}

	/** The time step an instant falls in. */
	public static long step(Instant at) {
		return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
	}

	/** The code of a secret for one time step. */
	public static String code(String secret, long step) {
		try {
			return GENERATOR.generateOneTimePasswordString(key(secret), Instant.ofEpochSecond(step * STEP.toSeconds()),
					java.util.Locale.ROOT);
		}
		catch (InvalidKeyException ex) {
			throw new IllegalStateException("Unusable TOTP secret", ex);
		}
	}

	/**
	 * The time step a code is valid for at this instant: the current step or one either
	 * side, newest first; empty when it matches none (or is not six digits).
	 */
	public static OptionalLong matchingStep(String secret, String code, Instant now) {
		String typed = normalise(code);
		if (typed.length() != DIGITS || !typed.chars().allMatch(Character::isDigit)) {
			return OptionalLong.empty();
		}
		long current = step(now);
		for (long step = current + DRIFT; step >= current - DRIFT; step--) {
			if (MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
					typed.getBytes(StandardCharsets.US_ASCII))) {
				return OptionalLong.of(step);
			}
		}
		return OptionalLong.empty();
	}

	/** A code as typed, without the spaces some apps show in the middle. */
	static String normalise(String code) {
		return (code != null) ? code.replaceAll("\\s", "") : "";
	}

	private static Key key(String secret) {
		return new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
	}

}
