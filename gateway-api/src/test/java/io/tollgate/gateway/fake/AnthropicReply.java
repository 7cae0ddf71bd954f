package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted Anthropic Messages answer, rendered as a Message for {@code "stream":false}
 * and as the matching SSE event sequence for {@code "stream":true}. Built once,
 * serialised once, filled per request with the requested model, a fresh {@code msg_} id
 * and the input tokens derived from the body size (unless set here).
 * <p>
 * Configure it before handing it to a {@link Script}; later changes apply to later
 * requests.
 */
public final class AnthropicReply {

	private final List<AnthropicBlock> blocks = new ArrayList<>();

	private String stopReason;

	private String stopSequence;

	private Integer inputTokens;

	private Integer outputTokens;

	private int cacheWrite5m;

	private int cacheWrite1h;

	private int cacheRead;

	private String errorType;

	private String errorMessage;

	private volatile Rendered rendered;

	private AnthropicReply() {
	}

	/**
	 * An empty reply; add blocks with {@link #text}, {@link #thinking}, {@link #toolUse}.
	 */
	public static AnthropicReply create() {
		return new AnthropicReply();
	}

	/** The fake's default answer: one text block streamed as eight deltas. */
	public static AnthropicReply standard() {
		return create().text("Hello", "!", " This", " is", " the", " fake", " upstream", " speaking.");
	}

	/** Adds a text block, streamed as one {@code text_delta} per argument. */
	public AnthropicReply text(String... deltas) {
		return add(new AnthropicBlock.Text(List.of(deltas)));
	}

	/**
	 * Adds a thinking block: {@code thinking_delta}s, then one {@code signature_delta}.
	 */
	public AnthropicReply thinking(String signature, String... deltas) {
		return add(new AnthropicBlock.Thinking(List.of(deltas), signature));
	}

	/** Adds a tool_use block; the fragments concatenate to its JSON input. */
	public AnthropicReply toolUse(String id, String name, String... partialJson) {
		return add(new AnthropicBlock.ToolUse(id, name, List.of(partialJson)));
	}

	/**
	 * Sets {@code stop_reason}; by default {@code tool_use} when there is a tool block,
	 * else {@code end_turn}.
	 */
	public AnthropicReply stopReason(String stopReason) {
		this.stopReason = stopReason;
		return changed();
	}

	/** Sets {@code stop_reason:"stop_sequence"} with the matched sequence. */
	public AnthropicReply stopSequence(String sequence) {
		this.stopReason = "stop_sequence";
		this.stopSequence = sequence;
		return changed();
	}

	/** Fixes {@code input_tokens} instead of deriving it from the request body size. */
	public AnthropicReply inputTokens(int tokens) {
		this.inputTokens = tokens;
		return changed();
	}

	/** Fixes {@code output_tokens}; by default the number of deltas (at least one). */
	public AnthropicReply outputTokens(int tokens) {
		this.outputTokens = tokens;
		return changed();
	}

	/** Reports prompt-cache writes, split by TTL into {@code usage.cache_creation}. */
	public AnthropicReply cacheWrite(int fiveMinuteTokens, int oneHourTokens) {
		this.cacheWrite5m = fiveMinuteTokens;
		this.cacheWrite1h = oneHourTokens;
		return changed();
	}

	/** Reports prompt-cache reads ({@code cache_read_input_tokens}). */
	public AnthropicReply cacheRead(int tokens) {
		this.cacheRead = tokens;
		return changed();
	}

	/**
	 * Streams end with {@code event: error} after the first block's deltas, before its
	 * {@code content_block_stop}, as the API does when it fails mid-stream (HTTP status
	 * stays 200). Non-streaming answers are unaffected.
	 */
	public AnthropicReply errorMidStream(String type, String message) {
		this.errorType = type;
		this.errorMessage = message;
		return changed();
	}

	Answer answer(Incoming request) {
		Rendered current = rendered();
		Template.Fill fill = request.fill();
		if (!request.body().stream()) {
			return Answer.json(200, request, current.message().render(fill));
		}
		return Answer.stream(request, current.events().stream().map((event) -> event.render(fill)).toList());
	}

	private AnthropicReply add(AnthropicBlock block) {
		this.blocks.add(block);
		return changed();
	}

	private AnthropicReply changed() {
		this.rendered = null;
		return this;
	}

	private Rendered rendered() {
		Rendered current = this.rendered;
		if (current == null) {
			current = new AnthropicRenderer(this.blocks, usage(false), usage(true), stopReason(), this.stopSequence,
					this.errorType, this.errorMessage)
				.render();
			this.rendered = current;
		}
		return current;
	}

	private String stopReason() {
		if (this.stopReason != null) {
			return this.stopReason;
		}
		return this.blocks.stream().anyMatch(AnthropicBlock.ToolUse.class::isInstance) ? "tool_use" : "end_turn";
	}

	private ObjectNode usage(boolean start) {
		ObjectNode usage = Protocol.JSON.createObjectNode();
		if (this.inputTokens != null) {
			usage.put("input_tokens", this.inputTokens);
		}
		else {
			usage.put("input_tokens", Template.input(0));
		}
		usage.put("cache_creation_input_tokens", this.cacheWrite5m + this.cacheWrite1h);
		usage.put("cache_read_input_tokens", this.cacheRead);
		ObjectNode creation = usage.putObject("cache_creation");
		creation.put("ephemeral_5m_input_tokens", this.cacheWrite5m);
		creation.put("ephemeral_1h_input_tokens", this.cacheWrite1h);
		usage.put("output_tokens", start ? 1 : outputTokens());
		usage.put("service_tier", "standard");
		return usage;
	}

	private int outputTokens() {
		if (this.outputTokens != null) {
			return this.outputTokens;
		}
		return Math.max(1, this.blocks.stream().mapToInt(AnthropicBlock::deltaCount).sum());
	}

	/** The serialised forms of one reply. */
	record Rendered(Template message, List<Template> events) {
	}

}
