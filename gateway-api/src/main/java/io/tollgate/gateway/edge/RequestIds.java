package io.tollgate.gateway.edge;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.web.server.ServerWebExchange;

/**
 * Request ids ({@code req_} and 24 base62 characters), returned in the {@code request-id}
 * header of every response and kept on the exchange for logs, errors and usage records.
 */
public final class RequestIds {

	public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

	public static final String HEADER = "request-id";

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		.toCharArray();

	private RequestIds() {
	}

	public static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		char[] id = new char[28];
		id[0] = 'r';
		id[1] = 'e';
		id[2] = 'q';
		id[3] = '_';
		for (int i = 4; i < id.length; i++) {
			id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
		}
		return new String(id);
	}

	public static String of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
