package io.tollgate.routing.convert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tool names as the upstream sees them (C118). OpenAI allows 64 characters where
 * Anthropic allows 128, so longer names become their first 55 characters, {@code _} and 8
 * hex digits of their SHA-256: deterministic, so a name in the history shortens exactly
 * like the same name in {@code tools}. Blank names get a placeholder. Every replaced name
 * is remembered so responses can restore it.
 */
final class ToolNameMap {

	static final int MAX_LENGTH = 64;

	static final String BLANK_PLACEHOLDER = "unnamed_tool";

	private static final int KEPT_PREFIX = MAX_LENGTH - 9;

	private final Map<String, String> clientNames = new HashMap<>();

	/**
	 * The upstream name for a client tool name, remembering the pair when they differ.
	 */
	String toUpstream(String clientName) {
		String upstream = shorten(clientName);
		if (!upstream.equals(clientName)) {
			this.clientNames.put(upstream, clientName);
		}
		return upstream;
	}

	/** Upstream name to client name, for every name that was replaced. */
	Map<String, String> replacedNames() {
		return Map.copyOf(this.clientNames);
	}

	static String shorten(String name) {
		if (name == null || name.isBlank()) {
			return BLANK_PLACEHOLDER;
		}
		if (name.length() <= MAX_LENGTH) {
			return name;
		}
		return name.substring(0, KEPT_PREFIX) + "_" + HexFormat.of().formatHex(sha256(name), 0, 4);
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform provides SHA-256", ex);
		}
	}

}
