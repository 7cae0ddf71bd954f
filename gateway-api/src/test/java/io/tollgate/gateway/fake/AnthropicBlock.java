package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * One content block of an {@link AnthropicReply}, in its complete and its streamed forms.
 */
sealed interface AnthropicBlock {

	int deltaCount();

	/** The block as it appears in a non-streaming Message. */
	ObjectNode complete();

	/** The block as {@code content_block_start} announces it. */
	ObjectNode start();

	/** The {@code delta} objects of its {@code content_block_delta} events. */
	List<ObjectNode> deltas();

	record Text(List<String> parts) implements AnthropicBlock {

		@Override
		public int deltaCount() {
			return this.parts.size();
		}

		@Override
		public ObjectNode complete() {
			return node("text").put("text", String.join("", this.parts));
		}

		@Override
		public ObjectNode start() {
			return node("text").put("text", "");
		}

		@Override
		public List<ObjectNode> deltas() {
			return this.parts.stream().map((part) -> node("text_delta").put("text", part)).toList();
		}

	}

	record Thinking(List<String> parts, String signature) implements AnthropicBlock {

		@Override
		public int deltaCount() {
			return this.parts.size();
		}

		@Override
		public ObjectNode complete() {
			return node("thinking").put("thinking", String.join("", this.parts)).put("signature", this.signature);
		}

		@Override
		public ObjectNode start() {
			return node("thinking").put("thinking", "").put("signature", "");
		}

		@Override
		public List<ObjectNode> deltas() {
			List<ObjectNode> deltas = new ArrayList<>();
			this.parts.forEach((part) -> deltas.add(node("thinking_delta").put("thinking", part)));
			deltas.add(node("signature_delta").put("signature", this.signature));
			return deltas;
		}

	}

	record ToolUse(String id, String name, List<String> partialJson) implements AnthropicBlock {

		@Override
		public int deltaCount() {
			return this.partialJson.size();
		}

		@Override
		public ObjectNode complete() {
			ObjectNode block = node("tool_use").put("id", this.id).put("name", this.name);
			String json = String.join("", this.partialJson);
			block.set("input", Protocol.JSON.readTree(json.isBlank() ? "{}" : json));
			return block;
		}

		@Override
		public ObjectNode start() {
			ObjectNode block = node("tool_use").put("id", this.id).put("name", this.name);
			block.putObject("input");
			return block;
		}

		@Override
		public List<ObjectNode> deltas() {
			return this.partialJson.stream().map((part) -> node("input_json_delta").put("partial_json", part)).toList();
		}

	}

	static ObjectNode node(String type) {
		return Protocol.JSON.createObjectNode().put("type", type);
	}

}
