package io.tollgate.gateway.edge;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.web.server.ServerWebExchange;

/**
 * Request ids ({@code req_} and 24 base62 characters), returned in the {@code request-id}
 * header of every response and kept on the exchange for logs, errors and usage records.
 * <p>
 * The first 8 characters are the time in milliseconds and the other 16 are random (95
 * bits), so ids sort by time. The usage and ledger tables index their request id: ids
 * that grow keep every insert at the right edge of those indexes instead of at a random
 * page of an ever larger index, which is what made recording cost grow with the table.
 */
public final class RequestIds {

	public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

	public static final String HEADER = "request-id";

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		.toCharArray();

	private static final int TIME_CHARS = 8;

	private static final int LENGTH = 28;

	private RequestIds() {
	}

	public static String generate() {
		return generate(System.currentTimeMillis());
	}

	static String generate(long epochMillis) {
		char[] id = new char[LENGTH];
		id[0] = 'r';
		id[1] = 'e';
		id[2] = 'q';
		id[3] = '_';
		// 62^8 milliseconds reach past the year 8000; the alphabet is in ASCII order, so
		// fixed-width base62 sorts like the number
		long time = epochMillis;
		for (int i = 4 + TIME_CHARS - 1; i >= 4; i--) {
			id[i] = ALPHABET[(int) (time % ALPHABET.length)];
			time /= ALPHABET.length;
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 4 + TIME_CHARS; i < LENGTH; i++) {
			id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
		}
		return new String(id);
	}

	public static String of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
