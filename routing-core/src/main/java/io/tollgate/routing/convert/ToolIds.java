package io.tollgate.routing.convert;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code tool_use} ids Tollgate hands out for an OpenAI-compatible upstream's tool
 * calls, and the way back to the upstream's own id.
 *
 * <p>
 * An id is {@code toolu_<answer><position>} or, when the upstream named the call,
 * {@code toolu_<answer><position>_<upstream id in unpadded base64url>}. {@code <answer>}
 * is the random part of the answer's {@code msg_} id and {@code <position>} is {@code t}
 * and the call's place among the answer's tool calls. So ids are unique per answer and
 * across the answers of a conversation even when the upstream numbers its calls per
 * response (Kimi on vLLM: {@code functions.Bash:0} in every answer), stable within one
 * answer (the stream and the non-streaming answer give the same ids), and made only of
 * {@code [A-Za-z0-9_-]} (C66, C38). When the client sends the call and its result back,
 * {@link #upstream} recovers the upstream's id, so the upstream sees the ids it produced
 * (Kimi's chat template expects its {@code functions.<name>:<n>} form). Ids of any other
 * shape are sent back unchanged.
 */
final class ToolIds {

	private static final String PREFIX = "toolu_";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private ToolIds() {
	}

	/**
	 * The client-facing id of one tool call.
	 * @param upstreamId the upstream's id, or {@code null}
	 * @param context the context of the answer
	 * @param position the call's place among the answer's tool calls, from 0
	 */
	static String of(String upstreamId, ConversionContext context, int position) {
		String unique = PREFIX + alphanumeric(MessageIds.suffix(context.messageId())) + "t" + position;
		if (upstreamId == null || upstreamId.isEmpty()) {
			return unique;
		}
		return unique + "_" + ENCODER.encodeToString(upstreamId.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The id to send upstream for a {@code tool_use} or {@code tool_result} id the client
	 * sent: the upstream's own id when Tollgate made the id, the id itself otherwise.
	 */
	static String upstream(String clientId) {
		if (clientId == null || !clientId.startsWith(PREFIX)) {
			return clientId;
		}
		int separator = clientId.indexOf('_', PREFIX.length());
		if (separator < 0 || separator == clientId.length() - 1
				|| !alphanumeric(clientId.substring(PREFIX.length(), separator))
					.equals(clientId.substring(PREFIX.length(), separator))) {
			return clientId;
		}
		String encoded = clientId.substring(separator + 1);
		try {
			byte[] bytes = DECODER.decode(encoded);
			if (!ENCODER.encodeToString(bytes).equals(encoded)) {
				return clientId;
			}
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (IllegalArgumentException | CharacterCodingException ex) {
			return clientId;
		}
	}

	static String sanitise(String id) {
		StringBuilder clean = null;
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean allowed = isAlphanumeric(c) || c == '_' || c == '-';
			if (!allowed && clean == null) {
				clean = new StringBuilder(id.length()).append(id, 0, i);
			}
			if (clean != null) {
				clean.append(allowed ? c : '_');
			}
		}
		return (clean != null) ? clean.toString() : id;
	}

	/**
	 * A signature for a thinking block whose upstream gave none (C67): never blank, no
	 * whitespace.
	 */
	static String syntheticSignature(ConversionContext context, int blockIndex) {
		return sanitise("tollgate_" + MessageIds.suffix(context.messageId()) + "_" + blockIndex);
	}

	private static String alphanumeric(String text) {
		StringBuilder clean = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			if (isAlphanumeric(text.charAt(i))) {
				clean.append(text.charAt(i));
			}
		}
		return clean.toString();
	}

	private static boolean isAlphanumeric(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

}
