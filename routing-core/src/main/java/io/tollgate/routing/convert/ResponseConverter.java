package io.tollgate.routing.convert;

import java.util.Map;

import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a non-streaming OpenAI {@code chat.completion} into an Anthropic Message
 * (checklist section I). Content is thinking first, then text, then tool calls (C129,
 * C77); thinking only when the request enabled it, with empty text for
 * {@code display: "omitted"}; no empty text block (C78); tool input always an object
 * (C130); tool ids unique per answer ({@link ToolIds}, C66) and shortened names restored
 * (C118); the id and model come from the {@link ConversionContext} (C69, C76).
 * Thread-safe.
 */
public final class ResponseConverter {

	/**
	 * Converts one response.
	 * @param response the parsed upstream body of a 2xx response
	 * @param context the context of the converted request
	 * @return the Anthropic Message
	 * @throws UpstreamErrorException when the body is an error object or holds no choice
	 */
	public ObjectNode toAnthropic(JsonNode response, ConversionContext context) {
		JsonNode choice = firstChoice(response);
		JsonNode message = choice.path("message");
		ArrayNode content = Json.array();
		long generatedChars = 0;
		String reasoning = Reasoning.of(message);
		if (reasoning != null) {
			// counted even when dropped: the upstream generated (and bills) it
			generatedChars += reasoning.length();
			if (context.thinking() != ConversionContext.Thinking.OFF) {
				content.addObject()
					.put("type", "thinking")
					.put("thinking", (context.thinking() == ConversionContext.Thinking.OMITTED) ? "" : reasoning)
					.put("signature", ToolIds.syntheticSignature(context, 0));
			}
		}
		String refusal = Json.text(message, "refusal");
		String text = text(message.get("content"));
		if (text.isEmpty() && refusal != null) {
			text = refusal;
		}
		if (!text.isEmpty()) {
			content.addObject().put("type", "text").put("text", text);
			generatedChars += text.length();
		}
		JsonNode toolCalls = Json.array(message, "tool_calls");
		int tools = (toolCalls != null) ? toolCalls.size() : 0;
		for (int i = 0; i < tools; i++) {
			JsonNode call = toolCalls.get(i);
			JsonNode function = call.path("function");
			String arguments = Json.text(function, "arguments");
			content.add(toolUse(ToolIds.of(Json.text(call, "id"), context, i), Json.text(function, "name"), i,
					ToolArguments.parse(arguments), context));
			generatedChars += (arguments != null) ? arguments.length() : 0;
		}
		StopDecision stop = StopDecision.of(Json.text(choice, "finish_reason"), choice.get("stop_reason"),
				Json.isEmpty(refusal) ? null : refusal, tools > 0, context.stopSequences());
		TokenUsage usage = Usages.fromOpenAi(response.get("usage"));
		if (usage == null) {
			usage = Usages.estimated(context, generatedChars);
		}
		ObjectNode result = Json.object()
			.put("id", context.messageId())
			.put("type", "message")
			.put("role", "assistant");
		result.set("content", content);
		result.put("model", context.requestedModel());
		stop.writeTo(result);
		result.set("usage", Usages.toJson(usage));
		return result;
	}

	static ObjectNode toolUse(String id, String upstreamName, int position, ObjectNode input,
			ConversionContext context) {
		String name = Json.isEmpty(upstreamName) ? "tool_" + position : context.clientToolName(upstreamName);
		ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
		block.set("input", input);
		return block;
	}

	private static JsonNode firstChoice(JsonNode response) {
		JsonNode error = (response != null) ? response.get("error") : null;
		if (error != null && !error.isNull()) {
			throw new UpstreamErrorException(new ErrorConverter().fromOpenAiStreamError(error));
		}
		JsonNode choices = Json.array(response, "choices");
		if (choices == null || choices.isEmpty() || !choices.get(0).isObject()) {
			throw new UpstreamErrorException(
					new ErrorConverter().fromOpenAi(502, "The upstream answered without a choice", Map.of()));
		}
		return choices.get(0);
	}

	/** {@code message.content} as text: a string, or the text parts of an array. */
	private static String text(JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isString()) {
			return content.stringValue();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(Json.textOrEmpty(part, "text"));
		}
		return text.toString();
	}

}
