package io.tollgate.routing.convert;

import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Anthropic stream events, each framed as an {@link SseEvent} whose name equals the
 * {@code type} in its compact JSON data (C80, C81).
 */
final class StreamEvents {

	private static final SseEvent MESSAGE_STOP = new SseEvent("message_stop", "{\"type\":\"message_stop\"}");

	private StreamEvents() {
	}

	/**
	 * C84, C135: an empty message with zero usage, cache fields included; totals come in
	 * message_delta.
	 */
	static SseEvent messageStart(ConversionContext context) {
		ObjectNode message = Json.object()
			.put("id", context.messageId())
			.put("type", "message")
			.put("role", "assistant");
		message.putArray("content");
		message.put("model", context.requestedModel()).putNull("stop_reason").putNull("stop_sequence");
		message.set("usage", Usages.toJson(TokenUsage.ZERO));
		ObjectNode event = Json.object().put("type", "message_start");
		event.set("message", message);
		return event(event);
	}

	/** C88. */
	static SseEvent blockStart(int index, ObjectNode block) {
		ObjectNode event = Json.object().put("type", "content_block_start").put("index", index);
		event.set("content_block", block);
		return event(event);
	}

	static ObjectNode textBlock() {
		return Json.object().put("type", "text").put("text", "");
	}

	static ObjectNode thinkingBlock() {
		return Json.object().put("type", "thinking").put("thinking", "").put("signature", "");
	}

	/**
	 * A {@code content_block_delta} (C89, C90, C92).
	 * @param deltaType {@code text_delta}, {@code thinking_delta},
	 * {@code signature_delta} or {@code input_json_delta}
	 * @param field the delta's payload field: {@code text}, {@code thinking},
	 * {@code signature} or {@code partial_json}
	 */
	static SseEvent delta(int index, String deltaType, String field, String value) {
		ObjectNode event = Json.object().put("type", "content_block_delta").put("index", index);
		event.putObject("delta").put("type", deltaType).put(field, value);
		return event(event);
	}

	/** C93. */
	static SseEvent blockStop(int index) {
		return new SseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
	}

	/**
	 * C94, C95: the stop with {@code stop_sequence} always present, and cumulative usage.
	 */
	static SseEvent messageDelta(StopDecision stop, TokenUsage usage) {
		ObjectNode event = Json.object().put("type", "message_delta");
		stop.writeTo(event.putObject("delta"));
		event.set("usage", Usages.toJson(usage));
		return event(event);
	}

	/** C96. */
	static SseEvent messageStop() {
		return MESSAGE_STOP;
	}

	private static SseEvent event(ObjectNode event) {
		return new SseEvent(event.get("type").stringValue(), Json.write(event));
	}

}
