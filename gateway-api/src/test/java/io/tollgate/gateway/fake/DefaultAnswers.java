package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;

/**
 * What the fake answers when nothing is scripted: valid, deterministic replies on every
 * endpoint.
 */
final class DefaultAnswers {

	private static final AnthropicReply MESSAGE = AnthropicReply.standard();

	private static final OpenAiReply COMPLETION = OpenAiReply.standard();

	private static final byte[] MODELS = ("{\"data\":["
			+ model("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z") + ","
			+ model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z") + ","
			+ model("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z")
			+ "],\"has_more\":false,\"first_id\":\"claude-opus-4-1-20250805\","
			+ "\"last_id\":\"claude-haiku-4-5-20251001\"}")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] ROOT = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

	private DefaultAnswers() {
	}

	static Answer answer(Incoming request) {
		return switch (request.route()) {
			case MESSAGES -> valid(request) ? MESSAGE.answer(request) : invalid(request);
			case CHAT_COMPLETIONS -> valid(request) ? COMPLETION.answer(request) : invalid(request);
			case COUNT_TOKENS ->
				request.body().valid() ? Answer.json(200, request, countTokens(request)) : invalid(request);
			case MODELS -> Answer.json(200, request, MODELS);
			case ROOT -> Answer.json(200, request, ROOT);
			case UNKNOWN -> Answer.error(404, request, "not_found_error", "Not found");
		};
	}

	/** The answer to a request without a credential, before any script is consulted. */
	static Answer missingCredential(Incoming request) {
		return (request.protocol() == Protocol.ANTHROPIC)
				? Answer.error(401, request, "authentication_error", "x-api-key header is required")
				: Answer.error(401, request, "invalid_request_error", "You didn't provide an API key.");
	}

	private static boolean valid(Incoming request) {
		return request.body().valid() && request.body().model() != null;
	}

	private static Answer invalid(Incoming request) {
		String message = request.body().valid() ? "model: Field required" : "The request body is not valid JSON";
		return Answer.error(400, request, "invalid_request_error", message);
	}

	private static byte[] countTokens(Incoming request) {
		return ("{\"input_tokens\":" + request.inputTokens() + "}").getBytes(StandardCharsets.US_ASCII);
	}

	private static String model(String id, String name, String created) {
		return "{\"type\":\"model\",\"id\":\"" + id + "\",\"display_name\":\"" + name + "\",\"created_at\":\"" + created
				+ "\"}";
	}

}
