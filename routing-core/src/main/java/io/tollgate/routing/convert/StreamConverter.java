package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.usage.TokenUsage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Converts one OpenAI Chat Completions stream into the Anthropic event stream (checklist
 * sections F and J). Feed it the {@code data:} payload of every upstream event with
 * {@link #onData}, then call {@link #onUpstreamEnd} when the upstream closes; emit
 * whatever each call returns, in order.
 *
 * <p>
 * Guarantees: {@code message_start} first, exactly once (C85, C135); blocks indexed 0, 1,
 * 2, … and opened, filled and stopped one after the other (C83, C87, C93); delta types
 * matching block types and never an empty text or thinking delta (C89, C136, C145);
 * thinking closed by one {@code signature_delta} (C92, C137), and only when the request
 * enabled thinking (C129); characters split across chunks kept whole
 * ({@link SurrogateCarry}); every tool block given {@code input_json_delta}s that
 * concatenate into a JSON object, {@code "{}"} when the upstream sent no arguments (C90,
 * C91, C130); the {@code message_delta} held until usage is known (C141) with
 * {@code stop_sequence} always present (C95) and cumulative usage (C94);
 * {@code message_stop} last, and nothing after it or after an {@code error} event (C96,
 * C144). The accumulated message equals what {@link ResponseConverter} makes of the same
 * upstream content.
 *
 * <p>
 * Tool calls: the first one opens its block when its name arrives, and each of its
 * argument fragments is sent as one {@code input_json_delta} as it arrives
 * ({@link StreamedToolCall}). Calls that start while it is open wait, and get their
 * blocks in upstream order once its arguments form a complete object or the message ends
 * (C138, C139, C140); parallel calls that share one index are told apart by their ids
 * ({@link StreamedToolCalls}). Text after tool calls closes them all; fragments for a
 * closed call are then dropped.
 *
 * <p>
 * Not thread-safe: one instance per request, called from one stream.
 */
public final class StreamConverter {

	private final ConversionContext context;

	private final StreamedToolCalls toolCalls = new StreamedToolCalls();

	private List<SseEvent> out = new ArrayList<>();

	private OpenBlock open;

	private int nextIndex;

	private int toolBlocks;

	private boolean started;

	private boolean finished;

	private StopDecision stop;

	private TokenUsage upstreamUsage;

	private TokenUsage sentUsage;

	private long generatedChars;

	private StringBuilder refusal;

	/**
	 * A converter for one response.
	 * @param context the context of the converted request
	 */
	public StreamConverter(ConversionContext context) {
		this.context = Objects.requireNonNull(context, "context");
	}

	/**
	 * Takes one upstream event.
	 * @param data the raw {@code data:} payload, {@code [DONE]} included
	 * @return the Anthropic events to emit now, possibly none
	 */
	public List<SseEvent> onData(String data) {
		if (this.finished || data == null || data.isBlank()) {
			return List.of();
		}
		if ("[DONE]".equals(data.strip())) {
			return onUpstreamEnd();
		}
		JsonNode chunk;
		try {
			chunk = Json.MAPPER.readTree(data);
		}
		catch (JacksonException ex) {
			return fail(new ErrorConverter().fromOpenAi(502, "The upstream sent a malformed stream event", Map.of()));
		}
		JsonNode error = chunk.get("error");
		if (error != null && !error.isNull()) {
			return fail(new ErrorConverter().fromOpenAiStreamError(error));
		}
		start();
		JsonNode choices = Json.array(chunk, "choices");
		if (choices != null) {
			for (JsonNode choice : choices) {
				if (choice.path("index").asInt(0) == 0) {
					onChoice(choice);
				}
			}
		}
		TokenUsage usage = Usages.fromOpenAi(chunk.get("usage"));
		if (usage != null) {
			this.upstreamUsage = usage;
			if (this.stop != null) {
				finish();
			}
		}
		return drain();
	}

	/**
	 * Closes the stream when the upstream has ended, with or without {@code [DONE]}
	 * (C143): open blocks are stopped, a {@code message_delta} (with {@code end_turn}
	 * when the upstream gave no finish reason) and {@code message_stop} follow. An
	 * upstream that sent nothing at all yields an {@code error} event instead, so clients
	 * retry rather than accept an empty answer (C98).
	 * @return the closing events, none if the stream already finished
	 */
	public List<SseEvent> onUpstreamEnd() {
		if (this.finished) {
			return List.of();
		}
		if (!this.started) {
			return fail(
					new ErrorConverter().fromOpenAi(502, "The upstream closed the stream without an answer", Map.of()));
		}
		closeAll();
		if (this.stop == null) {
			this.stop = stopDecision(null, null);
		}
		finish();
		return drain();
	}

	/**
	 * The latest known usage, for billing: the upstream's report, or an estimate while it
	 * has sent none (what was billed to the client in {@code message_delta} once the
	 * stream finished).
	 * @return the usage, never {@code null}
	 */
	public TokenUsage usage() {
		if (this.sentUsage != null) {
			return this.sentUsage;
		}
		return (this.upstreamUsage != null) ? this.upstreamUsage : Usages.estimated(this.context, this.generatedChars);
	}

	/**
	 * Whether {@code message_stop} or an {@code error} event was emitted; later calls
	 * return nothing.
	 * @return {@code true} once the stream is complete
	 */
	public boolean finished() {
		return this.finished;
	}

	private void onChoice(JsonNode choice) {
		if (this.stop != null) {
			return;
		}
		JsonNode delta = Json.object(choice, "delta");
		if (delta != null) {
			String reasoning = Reasoning.of(delta);
			if (reasoning != null) {
				reasoning(reasoning);
			}
			String content = Json.text(delta, "content");
			if (!Json.isEmpty(content)) {
				append(BlockKind.TEXT, content);
			}
			String refusalText = Json.text(delta, "refusal");
			if (!Json.isEmpty(refusalText)) {
				this.refusal = ((this.refusal != null) ? this.refusal : new StringBuilder()).append(refusalText);
				append(BlockKind.TEXT, refusalText);
			}
			JsonNode calls = Json.array(delta, "tool_calls");
			if (calls != null) {
				calls.forEach(this::onToolCall);
			}
		}
		String finishReason = Json.text(choice, "finish_reason");
		if (finishReason != null) {
			closeAll();
			this.stop = stopDecision(finishReason, choice.get("stop_reason"));
		}
	}

	/**
	 * Reasoning becomes thinking only when the request enabled thinking (C129); it counts
	 * towards the output either way. With {@code display: "omitted"} the block opens and
	 * closes with its signature and no text (C92).
	 */
	private void reasoning(String reasoning) {
		this.generatedChars += reasoning.length();
		switch (this.context.thinking()) {
			case OFF -> {
			}
			case OMITTED -> {
				if (this.open == null || this.open.kind() != BlockKind.THINKING) {
					openBlock(BlockKind.THINKING);
				}
			}
			case SHOWN -> append(BlockKind.THINKING, reasoning);
		}
	}

	/** Text or thinking, split from any finish in the same chunk (C142). */
	private void append(BlockKind kind, String text) {
		if (kind == BlockKind.TEXT) {
			this.generatedChars += text.length();
		}
		if (this.open == null || this.open.kind() != kind) {
			openBlock(kind);
		}
		textDelta(this.open.carry().take(text));
	}

	private void openBlock(BlockKind kind) {
		closeAll();
		this.open = new OpenBlock(kind, this.nextIndex++, null, new SurrogateCarry());
		emit(StreamEvents.blockStart(this.open.index(),
				(kind == BlockKind.TEXT) ? StreamEvents.textBlock() : StreamEvents.thinkingBlock()));
	}

	private void textDelta(String text) {
		if (text.isEmpty()) {
			return;
		}
		emit((this.open.kind() == BlockKind.TEXT) ? StreamEvents.delta(this.open.index(), "text_delta", "text", text)
				: StreamEvents.delta(this.open.index(), "thinking_delta", "thinking", text));
	}

	/**
	 * A tool call fragment: streamed at once when its call's block is open (C138); else
	 * kept until the block opens, which happens as soon as no other tool block is open
	 * and the call is the next in upstream order with a name (C139, C140).
	 */
	private void onToolCall(JsonNode fragment) {
		StreamedToolCall call = this.toolCalls.forFragment(fragment);
		if (call.closed()) {
			return;
		}
		JsonNode function = fragment.path("function");
		call.identify(Json.text(fragment, "id"), Json.text(function, "name"));
		String arguments = Json.text(function, "arguments");
		if (arguments != null) {
			this.generatedChars += arguments.length();
		}
		if (call.started()) {
			if (arguments != null) {
				streamArguments(call, arguments, true);
			}
		}
		else if (arguments != null) {
			call.hold(arguments);
		}
		openNextTools();
	}

	/**
	 * Opens tool blocks while none is open: the next call in order, if it has a name,
	 * with its waiting fragments; a call whose object is already complete is closed at
	 * once so that the next one can stream.
	 */
	private void openNextTools() {
		while (this.open == null || this.open.kind() != BlockKind.TOOL || this.open.toolCall().complete()) {
			StreamedToolCall next = this.toolCalls.nextToOpen();
			if (next == null || next.name() == null) {
				return;
			}
			if (this.open != null) {
				closeOpen();
			}
			startTool(next);
		}
	}

	private void startTool(StreamedToolCall call) {
		int index = this.nextIndex++;
		call.start(index);
		int position = this.toolBlocks++;
		String id = ToolIds.of(call.id(), this.context, position);
		emit(StreamEvents.blockStart(index,
				ResponseConverter.toolUse(id, call.name(), position, Json.object(), this.context)));
		this.open = new OpenBlock(BlockKind.TOOL, index, call, null);
		for (String fragment : call.takeWaiting()) {
			streamArguments(call, fragment, false);
		}
	}

	private void streamArguments(StreamedToolCall call, String fragment, boolean collect) {
		String partial = call.stream(fragment, collect);
		if (partial != null) {
			emit(StreamEvents.delta(call.blockIndex(), "input_json_delta", "partial_json", partial));
		}
	}

	/** Stops the open block, then gives every waiting tool call its block. */
	private void closeAll() {
		if (this.open != null) {
			closeOpen();
		}
		for (StreamedToolCall call : this.toolCalls) {
			if (!call.closed()) {
				if (!call.started()) {
					startTool(call);
				}
				closeOpen();
			}
		}
	}

	private void closeOpen() {
		int index = this.open.index();
		switch (this.open.kind()) {
			case THINKING -> {
				textDelta(this.open.carry().flush());
				emit(StreamEvents.delta(index, "signature_delta", "signature",
						ToolIds.syntheticSignature(this.context, index)));
			}
			case TOOL -> {
				String completion = this.open.toolCall().completion();
				if (!completion.isEmpty()) {
					emit(StreamEvents.delta(index, "input_json_delta", "partial_json", completion));
				}
				this.open.toolCall().close();
			}
			case TEXT -> textDelta(this.open.carry().flush());
		}
		emit(StreamEvents.blockStop(index));
		this.open = null;
	}

	private StopDecision stopDecision(String finishReason, JsonNode matched) {
		String refusalText = (this.refusal != null) ? this.refusal.toString() : null;
		return StopDecision.of(finishReason, matched, refusalText, !this.toolCalls.isEmpty(),
				this.context.stopSequences());
	}

	private void start() {
		if (!this.started) {
			this.started = true;
			emit(StreamEvents.messageStart(this.context));
		}
	}

	private void finish() {
		this.sentUsage = usage();
		emit(StreamEvents.messageDelta(this.stop, this.sentUsage));
		emit(StreamEvents.messageStop());
		this.finished = true;
	}

	private List<SseEvent> fail(AnthropicError error) {
		emit(error.toSseEvent());
		this.finished = true;
		return drain();
	}

	private void emit(SseEvent event) {
		this.out.add(event);
	}

	private List<SseEvent> drain() {
		List<SseEvent> events = this.out;
		this.out = new ArrayList<>();
		return events;
	}

	private enum BlockKind {

		TEXT, THINKING, TOOL

	}

	/**
	 * The block currently open; {@code toolCall} is set for tool blocks only,
	 * {@code carry} for text and thinking blocks.
	 */
	private record OpenBlock(BlockKind kind, int index, StreamedToolCall toolCall, SurrogateCarry carry) {
	}

}
