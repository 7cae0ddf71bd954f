package io.tollgate.billing.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Tenant API keys: {@code tg-} followed by 40 random base62 characters (238 bits), stored
 * only as their SHA-256. A fast hash is right here: the keys are random, so there is
 * nothing to brute-force.
 */
public final class ApiKeys {

	public static final String PREFIX = "tg-";

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		.toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private ApiKeys() {
	}

	public static String generate() {
		StringBuilder key = new StringBuilder(PREFIX);
		for (int i = 0; i < 40; i++) {
			key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
		}
		return key.toString();
	}

	public static String hash(String key) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What may be shown of a key after it was issued: its first characters. */
	public static String displayPrefix(String key) {
		return key.substring(0, Math.min(key.length(), 10));
	}

}
