package io.tollgate.routing.convert;

/**
 * Tool-use ids the Anthropic side accepts (C66, C38: {@code ^[a-zA-Z0-9_-]+$}). Upstream
 * ids such as Kimi's {@code functions.Bash:0} have other characters replaced by
 * {@code _}; a missing id gets a fallback derived from the message id and the call's
 * position, unique within the message and deterministic (C138).
 */
final class ToolIds {

	private ToolIds() {
	}

	static String of(String upstreamId, ConversionContext context, int position) {
		if (upstreamId == null || upstreamId.isEmpty()) {
			return sanitise("toolu_" + MessageIds.suffix(context.messageId()) + "_" + position);
		}
		return sanitise(upstreamId);
	}

	static String sanitise(String id) {
		StringBuilder clean = null;
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
					|| c == '-';
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

}
