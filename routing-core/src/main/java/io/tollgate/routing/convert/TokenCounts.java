package io.tollgate.routing.convert;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Remembers the token counts of recent long texts. A Messages request repeats most of the
 * one before it (the system prompt, the tools, the conversation so far), so counting
 * every text of every request again spends most of the tokenizer's time on texts it has
 * just counted. A text is known by its length and two independent 64-bit hashes of its
 * characters, so no prompt text is kept; the count is the tokenizer's own. At most
 * {@value #MAX_ENTRIES} texts are remembered; when full, the memory starts over.
 * Thread-safe.
 */
final class TokenCounts {

	/** Shorter texts are counted each time: that costs about as much as a lookup. */
	static final int MIN_LENGTH = 32;

	static final int MAX_ENTRIES = 8192;

	private final Map<Key, Long> counts = new ConcurrentHashMap<>();

	private final ToLongFunction<String> tokenizer;

	TokenCounts(ToLongFunction<String> tokenizer) {
		this.tokenizer = tokenizer;
	}

	long count(String text) {
		if (text.length() < MIN_LENGTH) {
			return this.tokenizer.applyAsLong(text);
		}
		Key key = Key.of(text);
		Long known = this.counts.get(key);
		if (known != null) {
			return known;
		}
		long counted = this.tokenizer.applyAsLong(text);
		if (this.counts.size() >= MAX_ENTRIES) {
			this.counts.clear();
		}
		this.counts.put(key, counted);
		return counted;
	}

	int size() {
		return this.counts.size();
	}

	/** A text's length and two hashes of its characters (FNV-1a and a multiply-mix). */
	private record Key(int length, long fnv, long mix) {

		static Key of(String text) {
			long fnv = 0xcbf29ce484222325L;
			long mix = 0x9e3779b97f4a7c15L;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				fnv = (fnv ^ c) * 0x100000001b3L;
				mix = (mix + c) * 0xbf58476d1ce4e5b9L;
				mix ^= mix >>> 31;
			}
			return new Key(text.length(), fnv, mix);
		}

	}

}
