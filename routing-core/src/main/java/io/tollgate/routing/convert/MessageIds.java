package io.tollgate.routing.convert;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Random {@code msg_} ids shaped like Anthropic's ({@code msg_01} and 22 base62
 * characters, C69). Unique, not secret: nothing is protected by guessing them.
 */
final class MessageIds implements Supplier<String> {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	@Override
	public String get() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder id = new StringBuilder(28).append("msg_01");
		for (int i = 0; i < 22; i++) {
			id.append(BASE62[random.nextInt(BASE62.length)]);
		}
		return id.toString();
	}

	/** The part of a message id after {@code msg_}, to derive other ids from. */
	static String suffix(String messageId) {
		return messageId.startsWith("msg_") ? messageId.substring(4) : messageId;
	}

}
