package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.gateway.fake.AnthropicReply.Rendered;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serialises an {@link AnthropicReply} into its Message template and its SSE event
 * templates.
 */
final class AnthropicRenderer {

	private final List<AnthropicBlock> blocks;

	private final ObjectNode finalUsage;

	private final ObjectNode startUsage;

	private final String stopReason;

	private final String stopSequence;

	private final String errorType;

	private final String errorMessage;

	AnthropicRenderer(List<AnthropicBlock> blocks, ObjectNode finalUsage, ObjectNode startUsage, String stopReason,
			String stopSequence, String errorType, String errorMessage) {
		this.blocks = List.copyOf(blocks);
		this.finalUsage = finalUsage;
		this.startUsage = startUsage;
		this.stopReason = stopReason;
		this.stopSequence = stopSequence;
		this.errorType = errorType;
		this.errorMessage = errorMessage;
	}

	Rendered render() {
		ObjectNode message = message(this.stopReason, this.stopSequence, this.finalUsage);
		ArrayNode content = (ArrayNode) message.get("content");
		this.blocks.forEach((block) -> content.add(block.complete()));
		return new Rendered(Template.compile(message.toString()), events());
	}

	private List<Template> events() {
		List<String> events = new ArrayList<>();
		ObjectNode start = AnthropicBlock.node("message_start");
		start.set("message", message(null, null, this.startUsage));
		events.add(Sse.event("message_start", start.toString()));
		events.add(Sse.event("ping", "{\"type\":\"ping\"}"));
		for (int index = 0; index < this.blocks.size(); index++) {
			AnthropicBlock block = this.blocks.get(index);
			ObjectNode blockStart = AnthropicBlock.node("content_block_start").put("index", index);
			blockStart.set("content_block", block.start());
			events.add(Sse.event("content_block_start", blockStart.toString()));
			for (ObjectNode delta : block.deltas()) {
				ObjectNode event = AnthropicBlock.node("content_block_delta").put("index", index);
				event.set("delta", delta);
				events.add(Sse.event("content_block_delta", event.toString()));
			}
			if (this.errorType != null) {
				events.add(Sse.error(this.errorType, this.errorMessage));
				return events.stream().map(Template::compile).toList();
			}
			events.add(Sse.event("content_block_stop",
					AnthropicBlock.node("content_block_stop").put("index", index).toString()));
		}
		events.add(Sse.event("message_delta", messageDelta().toString()));
		events.add(Sse.event("message_stop", "{\"type\":\"message_stop\"}"));
		return events.stream().map(Template::compile).toList();
	}

	private ObjectNode messageDelta() {
		ObjectNode event = AnthropicBlock.node("message_delta");
		event.putObject("delta").put("stop_reason", this.stopReason).put("stop_sequence", this.stopSequence);
		ObjectNode usage = event.putObject("usage");
		usage.set("input_tokens", this.finalUsage.get("input_tokens"));
		usage.set("cache_creation_input_tokens", this.finalUsage.get("cache_creation_input_tokens"));
		usage.set("cache_read_input_tokens", this.finalUsage.get("cache_read_input_tokens"));
		usage.set("output_tokens", this.finalUsage.get("output_tokens"));
		return event;
	}

	private static ObjectNode message(String stopReason, String stopSequence, ObjectNode usage) {
		ObjectNode message = Protocol.JSON.createObjectNode()
			.put("id", "msg_fake" + Template.ID)
			.put("type", "message")
			.put("role", "assistant")
			.put("model", Template.MODEL);
		message.putArray("content");
		message.put("stop_reason", stopReason).put("stop_sequence", stopSequence);
		message.set("usage", usage);
		return message;
	}

}
