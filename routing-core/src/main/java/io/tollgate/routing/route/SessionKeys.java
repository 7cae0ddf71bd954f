package io.tollgate.routing.route;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Derives the key that keeps one conversation on one account (and so on its prompt
 * cache). In order of preference: the session in {@code metadata.user_id} (the JSON form
 * {@code {"session_id": …}} current Claude Code sends, or the older
 * {@code user_…_account_…_session_<uuid>} form), the {@code x-claude-code-session-id}
 * header, and otherwise a hash of the API key and the conversation's first message, which
 * stays the same as the conversation grows.
 */
public final class SessionKeys {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern LEGACY_SESSION = Pattern.compile("_session_([0-9A-Za-z-]{8,})$");

	private SessionKeys() {
	}

	/**
	 * The session key of a request.
	 * @param metadataUserId {@code metadata.user_id}, or {@code null}
	 * @param sessionHeader the {@code x-claude-code-session-id} header, or {@code null}
	 * @param keyId the API key's id
	 * @param opening the bytes of the first message, or {@code null} when there is none
	 * @return a key prefixed by its source ({@code s:}, {@code h:} or {@code c:}), or
	 * {@code null} when the request gives nothing to go on
	 */
	public static String derive(String metadataUserId, String sessionHeader, long keyId, byte[] opening) {
		String session = fromUserId(metadataUserId);
		if (session != null) {
			return "s:" + session;
		}
		if (sessionHeader != null && !sessionHeader.isBlank()) {
			return "h:" + sessionHeader.trim();
		}
		if (opening == null || opening.length == 0) {
			return null;
		}
		return "c:" + hash(keyId, opening);
	}

	/**
	 * The session id inside a {@code metadata.user_id}, whichever form it has.
	 * @param userId the value, or {@code null}
	 * @return the session id, or {@code null} when it names none
	 */
	public static String fromUserId(String userId) {
		if (userId == null || userId.isBlank()) {
			return null;
		}
		String trimmed = userId.trim();
		if (trimmed.startsWith("{")) {
			try {
				JsonNode node = JSON.readTree(trimmed);
				JsonNode session = node.get("session_id");
				if (session != null && session.isString() && !session.asString().isBlank()) {
					return session.asString();
				}
			}
			catch (JacksonException ex) {
				return null;
			}
			return null;
		}
		Matcher legacy = LEGACY_SESSION.matcher(trimmed);
		return legacy.find() ? legacy.group(1) : null;
	}

	private static String hash(long keyId, byte[] opening) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(Long.toString(keyId).getBytes(StandardCharsets.US_ASCII));
			digest.update((byte) 0);
			digest.update(opening);
			return HexFormat.of().formatHex(digest.digest(), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
