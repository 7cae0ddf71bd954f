package io.tollgate.gateway.fake;

/**
 * The endpoints the fake answers, matched on method and path (the query string is
 * ignored).
 */
enum Route {

	MESSAGES(Protocol.ANTHROPIC), COUNT_TOKENS(Protocol.ANTHROPIC), MODELS(Protocol.ANTHROPIC),
	CHAT_COMPLETIONS(Protocol.OPENAI), ROOT(Protocol.ANTHROPIC), UNKNOWN(Protocol.ANTHROPIC);

	private final Protocol protocol;

	Route(Protocol protocol) {
		this.protocol = protocol;
	}

	Protocol protocol() {
		return this.protocol;
	}

	/** Whether the body names a model and may ask for a stream. */
	boolean generates() {
		return this == MESSAGES || this == CHAT_COMPLETIONS;
	}

	static Route of(String method, String path) {
		return switch (path) {
			case "/v1/messages" -> "POST".equals(method) ? MESSAGES : UNKNOWN;
			case "/v1/messages/count_tokens" -> "POST".equals(method) ? COUNT_TOKENS : UNKNOWN;
			case "/v1/models" -> "GET".equals(method) ? MODELS : UNKNOWN;
			case "/v1/chat/completions", "/chat/completions" -> "POST".equals(method) ? CHAT_COMPLETIONS : UNKNOWN;
			case "/", "" -> ROOT;
			default -> UNKNOWN;
		};
	}

}
