package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts an Anthropic Messages request into an OpenAI Chat Completions request
 * (checklist section H). The upstream body is built from scratch, field by field, so
 * nothing the converter does not know is ever forwarded: Anthropic-only fields
 * ({@code container}, {@code mcp_servers}, {@code context_management},
 * {@code service_tier}, {@code inference_geo}, {@code speed}, unsupported
 * {@code output_config} parts, {@code cache_control} for strict upstreams, and anything
 * newer) are dropped (C35, C128). Thread-safe.
 */
public final class RequestConverter {

	private final Supplier<String> messageIds;

	/** A converter that gives each response a random {@code msg_} id. */
	public RequestConverter() {
		this(new MessageIds());
	}

	/**
	 * A converter with its own response ids, for deterministic tests.
	 * @param messageIds supplies the response id of each converted request
	 */
	public RequestConverter(Supplier<String> messageIds) {
		this.messageIds = Objects.requireNonNull(messageIds, "messageIds");
	}

	/**
	 * Converts one request.
	 * @param request the parsed Anthropic request body
	 * @param upstreamModel the model to ask the upstream for
	 * @param quirks what the upstream account accepts
	 * @return the OpenAI body and the context for the way back
	 * @throws ConversionException when the request is malformed or asks for something the
	 * upstream cannot do
	 */
	public ConvertedRequest toOpenAi(ObjectNode request, String upstreamModel, OpenAiQuirks quirks) {
		Objects.requireNonNull(upstreamModel, "upstreamModel");
		String requestedModel = requiredText(request, "model");
		JsonNode messages = request.get("messages");
		if (messages == null || !messages.isArray()) {
			throw ConversionException.at("messages",
					(messages == null) ? "Field required" : "Input should be a valid list");
		}
		ToolNameMap names = new ToolNameMap();
		ObjectNode body = Json.object().put("model", upstreamModel);
		body.set("messages", new HistoryConverter(quirks, names).convert(request.get("system"), messages));
		body.put(quirks.maxTokensField(), maxTokens(request));
		boolean stream = request.path("stream").asBoolean(false);
		if (stream) {
			body.put("stream", true);
			if (quirks.streamIncludeUsage()) {
				body.putObject("stream_options").put("include_usage", true);
			}
		}
		copyNumber(request, "temperature", body);
		copyNumber(request, "top_p", body);
		if (quirks.acceptsTopK()) {
			copyNumber(request, "top_k", body);
		}
		List<String> stopSequences = stopSequences(request, body, quirks);
		ToolDefinitions.apply(request, body, names, quirks);
		String effort = ReasoningEffort.of(request);
		if (effort != null && quirks.acceptsReasoningEffort()) {
			body.put("reasoning_effort", effort);
		}
		ObjectNode responseFormat = StructuredOutput.responseFormat(request);
		if (responseFormat != null) {
			body.set("response_format", responseFormat);
		}
		String user = Json.text(Json.object(request, "metadata"), "user_id");
		if (!Json.isEmpty(user)) {
			body.put("user", user);
		}
		ConversionContext context = new ConversionContext(requestedModel, this.messageIds.get(), stream, stopSequences,
				names.replacedNames(), RoughTokenCount.of(request),
				ConversionContext.Thinking.of(Json.object(request, "thinking")));
		return new ConvertedRequest(body, context);
	}

	/**
	 * C15, C17: required, an integer, and at least 1 because OpenAI upstreams cannot
	 * pre-warm a cache.
	 */
	private static int maxTokens(JsonNode request) {
		JsonNode maxTokens = request.get("max_tokens");
		if (maxTokens == null || maxTokens.isNull()) {
			throw ConversionException.at("max_tokens", "Field required");
		}
		if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt()) {
			throw ConversionException.at("max_tokens", "Input should be a valid integer");
		}
		if (maxTokens.intValue() < 1) {
			throw ConversionException.at("max_tokens",
					"Input should be greater than or equal to 1 for an OpenAI-compatible upstream");
		}
		return maxTokens.intValue();
	}

	/**
	 * C122: forwarded as {@code stop}, cut to what the upstream accepts; all are kept for
	 * C132.
	 */
	private static List<String> stopSequences(JsonNode request, ObjectNode body, OpenAiQuirks quirks) {
		JsonNode sequences = request.get("stop_sequences");
		if (sequences == null || sequences.isNull()) {
			return List.of();
		}
		if (!sequences.isArray()) {
			throw ConversionException.at("stop_sequences", "Input should be a valid list");
		}
		List<String> all = new ArrayList<>();
		for (int i = 0; i < sequences.size(); i++) {
			if (!sequences.get(i).isString()) {
				throw ConversionException.at("stop_sequences." + i, "Input should be a valid string");
			}
			all.add(sequences.get(i).stringValue());
		}
		List<String> forwarded = all.subList(0, Math.min(all.size(), quirks.maxStopSequences()));
		if (!forwarded.isEmpty()) {
			forwarded.forEach(body.putArray("stop")::add);
		}
		return all;
	}

	private static void copyNumber(JsonNode request, String field, ObjectNode body) {
		JsonNode value = request.get(field);
		if (value == null || value.isNull()) {
			return;
		}
		if (!value.isNumber()) {
			throw ConversionException.at(field, "Input should be a valid number");
		}
		body.set(field, value);
	}

	private static String requiredText(JsonNode request, String field) {
		JsonNode value = request.get(field);
		if (value == null || !value.isString()) {
			throw ConversionException.at(field, (value == null) ? "Field required" : "Input should be a valid string");
		}
		return value.stringValue();
	}

}
