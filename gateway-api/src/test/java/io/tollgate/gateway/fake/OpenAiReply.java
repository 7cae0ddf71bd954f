package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scripted OpenAI Chat Completions answer, rendered as a {@code chat.completion} object
 * for non-streaming requests and as {@code chat.completion.chunk} SSE for
 * {@code "stream":true} (with the choices-less usage chunk when the request sets
 * {@code stream_options.include_usage}). Built once, filled per request with the
 * requested model, an id and prompt tokens derived from the body size (unless set here).
 * <p>
 * Streams go: a role-only chunk, reasoning chunks, content chunks, refusal, tool-call
 * chunks, a finish chunk, the usage chunk, {@code data: [DONE]}. The switches below bend
 * that shape the ways real upstreams do.
 */
public final class OpenAiReply {

	final List<String> reasoning = new ArrayList<>();

	String reasoningField = "reasoning_content";

	final List<String> content = new ArrayList<>();

	String refusal;

	final List<ToolCall> toolCalls = new ArrayList<>();

	boolean interleaveToolCalls;

	boolean kimiToolIds;

	boolean sharedToolIndex;

	String jsonForStreams;

	String finishReason;

	Integer promptTokens;

	Integer completionTokens;

	int cachedTokens;

	int cacheWriteTokens;

	int reasoningTokens;

	boolean contentWithFinish;

	boolean omitDone;

	String errorMessage;

	String errorType;

	private volatile OpenAiRenderer rendered;

	private OpenAiReply() {
	}

	/** An empty reply: no content, {@code finish_reason:"stop"}. */
	public static OpenAiReply create() {
		return new OpenAiReply();
	}

	/** The fake's default answer: text content in eight chunks. */
	public static OpenAiReply standard() {
		return create().content("Hello", "!", " This", " is", " the", " fake", " upstream", " speaking.");
	}

	/** Adds content, one chunk per argument. */
	public OpenAiReply content(String... deltas) {
		this.content.addAll(List.of(deltas));
		return changed();
	}

	/**
	 * Adds reasoning, one chunk per argument, in {@code reasoning_content} unless
	 * {@link #reasoningField} says.
	 */
	public OpenAiReply reasoning(String... deltas) {
		this.reasoning.addAll(List.of(deltas));
		return changed();
	}

	/**
	 * Names the reasoning field: {@code reasoning_content} (DeepSeek) or
	 * {@code reasoning} (vLLM, OpenRouter).
	 */
	public OpenAiReply reasoningField(String name) {
		this.reasoningField = name;
		return changed();
	}

	/** Sets {@code message.refusal} (sent as one chunk when streaming). */
	public OpenAiReply refusal(String refusal) {
		this.refusal = refusal;
		return changed();
	}

	/**
	 * Adds a tool call; calls added in turn are parallel calls with indices 0, 1, ... The
	 * first chunk of a call carries its id, name and first argument fragment, the next
	 * ones only index and fragment.
	 */
	public OpenAiReply toolCall(String id, String name, String... argumentFragments) {
		this.toolCalls.add(new ToolCall(id, name, List.of(argumentFragments)));
		return changed();
	}

	/**
	 * Streams the fragments of parallel tool calls round-robin instead of one call after
	 * the other.
	 */
	public OpenAiReply interleaveToolCalls() {
		this.interleaveToolCalls = true;
		return changed();
	}

	/**
	 * Numbers tool-call ids per response as Kimi on vLLM does,
	 * {@code functions.<name>:<index>}, instead of the ids given: every answer repeats
	 * them.
	 */
	public OpenAiReply kimiToolIds() {
		this.kimiToolIds = true;
		return changed();
	}

	/**
	 * Streams every tool call at {@code index} 0, as Ollama does; only a new {@code id}
	 * marks a new call.
	 */
	public OpenAiReply sharedToolIndex() {
		this.sharedToolIndex = true;
		return changed();
	}

	/**
	 * Answers streaming requests too with the whole {@code chat.completion} JSON, status
	 * 200, as upstreams that ignore {@code stream:true} do.
	 * @param contentType the content type to declare, e.g. {@code application/json}, or
	 * {@code text/event-stream} for an upstream that says it streams but does not
	 */
	public OpenAiReply jsonEvenWhenStreaming(String contentType) {
		this.jsonForStreams = contentType;
		return changed();
	}

	/**
	 * Sets {@code finish_reason}; by default {@code tool_calls} when there are tool
	 * calls, else {@code stop}.
	 */
	public OpenAiReply finishReason(String finishReason) {
		this.finishReason = finishReason;
		return changed();
	}

	/**
	 * Fixes {@code prompt_tokens}; by default the size-derived count plus cached and
	 * cache-write tokens.
	 */
	public OpenAiReply promptTokens(int tokens) {
		this.promptTokens = tokens;
		return changed();
	}

	/**
	 * Fixes {@code completion_tokens}; by default the number of streamed fragments (at
	 * least one).
	 */
	public OpenAiReply completionTokens(int tokens) {
		this.completionTokens = tokens;
		return changed();
	}

	/** Reports {@code prompt_tokens_details.cached_tokens}. */
	public OpenAiReply cachedTokens(int tokens) {
		this.cachedTokens = tokens;
		return changed();
	}

	/**
	 * Reports {@code prompt_tokens_details.cache_write_tokens} (OpenRouter and LiteLLM
	 * style).
	 */
	public OpenAiReply cacheWriteTokens(int tokens) {
		this.cacheWriteTokens = tokens;
		return changed();
	}

	/** Reports {@code completion_tokens_details.reasoning_tokens}. */
	public OpenAiReply reasoningTokens(int tokens) {
		this.reasoningTokens = tokens;
		return changed();
	}

	/**
	 * Puts {@code finish_reason} on the last content chunk, as fake-streaming upstreams
	 * do.
	 */
	public OpenAiReply contentWithFinish() {
		this.contentWithFinish = true;
		return changed();
	}

	/** Ends the stream without {@code data: [DONE]}. */
	public OpenAiReply withoutDone() {
		this.omitDone = true;
		return changed();
	}

	/**
	 * After the content chunks, streams {@code data: {"error":{...}}} and ends: no
	 * finish, usage or {@code [DONE]}. Non-streaming answers are unaffected.
	 */
	public OpenAiReply errorMidStream(String message, String type) {
		this.errorMessage = message;
		this.errorType = type;
		return changed();
	}

	Answer answer(Incoming request) {
		OpenAiRenderer current = this.rendered;
		if (current == null) {
			current = new OpenAiRenderer(this);
			this.rendered = current;
		}
		Template.Fill fill = request.fill();
		if (!request.body().stream()) {
			return Answer.json(200, request, current.completion().render(fill));
		}
		if (this.jsonForStreams != null) {
			return Answer.json(200, request, current.completion().render(fill))
				.withHeaders(Map.of("content-type", this.jsonForStreams));
		}
		List<Template> chunks = current.chunks(request.body().includeUsage());
		return Answer.stream(request, chunks.stream().map((chunk) -> chunk.render(fill)).toList());
	}

	private OpenAiReply changed() {
		this.rendered = null;
		return this;
	}

	/** One function call of the reply. */
	record ToolCall(String id, String name, List<String> fragments) {

		/** The id the upstream sends for the call at this index. */
		String id(OpenAiReply reply, int index) {
			return reply.kimiToolIds ? "functions." + this.name + ":" + index : this.id;
		}

		String arguments() {
			return String.join("", this.fragments);
		}

	}

}
