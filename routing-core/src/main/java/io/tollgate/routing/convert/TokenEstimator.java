package io.tollgate.routing.convert;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;

/**
 * Estimates {@code input_tokens} for {@code count_tokens} when the upstream cannot count
 * (C102), with the {@code o200k_base} tokenizer through jtokkit. Counted: the system
 * prompt, every message's text, tool_use names and inputs, tool_result content, thinking
 * text, text documents and search results, and every tool's name, description and input
 * schema, plus a small framing overhead per message and tool. Images and binary documents
 * count a fixed {@value #IMAGE_TOKENS} tokens each (about what Anthropic charges for a
 * 1.15 megapixel image). The result is an estimate, at least 1 for any non-empty request.
 * Counts of long texts are remembered ({@link TokenCounts}): requests repeat their system
 * prompt, tools and history. Thread-safe.
 */
public final class TokenEstimator {

	/** Tokens counted for each image or binary (PDF) document. */
	public static final int IMAGE_TOKENS = 1600;

	private static final int MESSAGE_OVERHEAD = 4;

	private static final int TOOL_OVERHEAD = 8;

	private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	private static final TokenCounts COUNTS = new TokenCounts(ENCODING::countTokensOrdinary);

	/**
	 * Estimates the input tokens of a {@code count_tokens} or Messages request.
	 * @param request the parsed request body
	 * @return the estimate; 0 only for a request with no system, messages or tools
	 */
	public int estimateInputTokens(JsonNode request) {
		long tokens = content(request.get("system"));
		JsonNode messages = Json.array(request, "messages");
		if (messages != null) {
			for (JsonNode message : messages) {
				tokens += MESSAGE_OVERHEAD + content(message.get("content"));
			}
		}
		JsonNode tools = Json.array(request, "tools");
		if (tools != null) {
			for (JsonNode tool : tools) {
				tokens += TOOL_OVERHEAD + count(Json.text(tool, "name")) + count(Json.text(tool, "description"));
				JsonNode schema = tool.get("input_schema");
				tokens += (schema != null) ? count(Json.write(schema)) : 0;
			}
		}
		boolean empty = tokens == 0 && messages == null && tools == null;
		return empty ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens));
	}

	/**
	 * Estimates the tokens of some generated text, such as what a stream delivered before
	 * the client went away.
	 * @param text the text
	 * @return the estimate, 0 for empty text
	 */
	public long countText(String text) {
		return count(text);
	}

	/** A string, or a list of content blocks. */
	private long content(JsonNode content) {
		if (content == null || content.isNull()) {
			return 0;
		}
		if (content.isString()) {
			return count(content.stringValue());
		}
		long tokens = 0;
		if (content.isArray()) {
			for (JsonNode block : content) {
				tokens += block(block);
			}
		}
		return tokens;
	}

	private long block(JsonNode block) {
		return switch (ContentParts.typeOf(block)) {
			case "text" -> count(Json.text(block, "text"));
			case "thinking" -> count(Json.text(block, "thinking"));
			case "image" -> IMAGE_TOKENS;
			case "document" -> document(block);
			case "tool_use", "server_tool_use" -> count(Json.text(block, "name")) + inputTokens(block.get("input"));
			case "tool_result" -> content(block.get("content"));
			case "search_result" -> count(Json.text(block, "title")) + content(block.get("content"));
			default -> 0;
		};
	}

	private long document(JsonNode block) {
		JsonNode source = block.path("source");
		long title = count(Json.text(block, "title"));
		return switch (ContentParts.typeOf(source)) {
			case "text" -> title + count(Json.text(source, "data"));
			case "content" -> title + content(source.get("content"));
			default -> title + IMAGE_TOKENS;
		};
	}

	private long inputTokens(JsonNode input) {
		if (input == null || input.isNull()) {
			return 0;
		}
		return count(input.isString() ? input.stringValue() : Json.write(input));
	}

	private static long count(String text) {
		return Json.isEmpty(text) ? 0 : COUNTS.count(text);
	}

}
