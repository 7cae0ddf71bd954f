package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Anthropic event stream for an upstream that answered a streaming request with one
 * JSON {@code chat.completion} instead of a stream (some proxies and servers ignore
 * {@code stream:true}). The completion is converted like a non-streaming answer, so both
 * give the same message, and then told as a well-formed stream: {@code message_start},
 * each block started, filled in one delta and stopped, {@code message_delta} with the
 * stop and usage, {@code message_stop} (C83 to C96). An error object in the body is an
 * {@link UpstreamErrorException}, to be answered as an HTTP error since nothing has been
 * sent yet (C50, C146). Thread-safe.
 */
public final class CompletionStream {

	private final ResponseConverter responses = new ResponseConverter();

	/**
	 * Converts one completion as the upstream sent it.
	 * @param body the upstream's body
	 * @param context the context of the converted request
	 * @return the events, in order
	 * @throws UpstreamErrorException when the body is not JSON, is an error object or
	 * holds no choice
	 */
	public Converted convert(byte[] body, ConversionContext context) {
		JsonNode completion;
		try {
			completion = Json.MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw new UpstreamErrorException(new ErrorConverter().fromOpenAi(502,
					"The upstream answered a streaming request with a body that is neither a stream nor JSON",
					Map.of()));
		}
		return convert(completion, context);
	}

	/**
	 * Converts one completion.
	 * @param completion the upstream's JSON body
	 * @param context the context of the converted request
	 * @return the events, in order
	 * @throws UpstreamErrorException when the body is an error object or holds no choice
	 */
	public Converted convert(JsonNode completion, ConversionContext context) {
		ObjectNode message = this.responses.toAnthropic(completion, context);
		List<SseEvent> events = new ArrayList<>();
		events.add(StreamEvents.messageStart(context));
		JsonNode content = message.path("content");
		for (int index = 0; index < content.size(); index++) {
			block(index, content.get(index), context, events);
		}
		ObjectNode messageDelta = Json.object().put("type", "message_delta");
		ObjectNode delta = messageDelta.putObject("delta");
		delta.set("stop_reason", message.get("stop_reason"));
		delta.set("stop_sequence", message.get("stop_sequence"));
		if (message.has("stop_details")) {
			delta.set("stop_details", message.get("stop_details"));
		}
		messageDelta.set("usage", message.get("usage"));
		events.add(new SseEvent("message_delta", Json.write(messageDelta)));
		events.add(StreamEvents.messageStop());
		JsonNode usage = message.path("usage");
		return new Converted(List.copyOf(events),
				new TokenUsage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
						usage.path("cache_creation_input_tokens").asLong(), 0, 0,
						usage.path("cache_read_input_tokens").asLong()));
	}

	private static void block(int index, JsonNode block, ConversionContext context, List<SseEvent> events) {
		String type = block.path("type").asString();
		switch (type) {
			case "thinking" -> {
				events.add(StreamEvents.blockStart(index, StreamEvents.thinkingBlock()));
				String thinking = block.path("thinking").asString();
				if (!thinking.isEmpty()) {
					events.add(StreamEvents.delta(index, "thinking_delta", "thinking", thinking));
				}
				events
					.add(StreamEvents.delta(index, "signature_delta", "signature", block.path("signature").asString()));
			}
			case "text" -> {
				events.add(StreamEvents.blockStart(index, StreamEvents.textBlock()));
				events.add(StreamEvents.delta(index, "text_delta", "text", block.path("text").asString()));
			}
			default -> {
				ObjectNode start = ((ObjectNode) block).deepCopy();
				start.set("input", Json.object());
				events.add(StreamEvents.blockStart(index, start));
				events
					.add(StreamEvents.delta(index, "input_json_delta", "partial_json", Json.write(block.get("input"))));
			}
		}
		events.add(StreamEvents.blockStop(index));
	}

	/**
	 * A completion told as a stream.
	 *
	 * @param events the Anthropic events
	 * @param usage the usage reported in {@code message_delta}, for billing
	 */
	public record Converted(List<SseEvent> events, TokenUsage usage) {
	}

}
