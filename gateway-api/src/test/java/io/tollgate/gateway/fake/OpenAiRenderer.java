package io.tollgate.gateway.fake;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.gateway.fake.OpenAiReply.ToolCall;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serialises an {@link OpenAiReply} into its completion template and its two chunk
 * sequences.
 */
final class OpenAiRenderer {

	private static final long CREATED = 1_750_000_000L;

	private final OpenAiReply reply;

	private final Template completion;

	private final List<Template> chunksWithUsage;

	private final List<Template> chunksWithoutUsage;

	OpenAiRenderer(OpenAiReply reply) {
		this.reply = reply;
		this.completion = Template.compile(completionNode().toString());
		this.chunksWithUsage = frames(true).stream().map(Template::compile).toList();
		this.chunksWithoutUsage = frames(false).stream().map(Template::compile).toList();
	}

	Template completion() {
		return this.completion;
	}

	List<Template> chunks(boolean includeUsage) {
		return includeUsage ? this.chunksWithUsage : this.chunksWithoutUsage;
	}

	private ObjectNode completionNode() {
		ObjectNode root = envelope("chat.completion");
		ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
		ObjectNode message = choice.putObject("message").put("role", "assistant");
		message.put("content", this.reply.content.isEmpty() ? null : String.join("", this.reply.content));
		if (!this.reply.reasoning.isEmpty()) {
			message.put(this.reply.reasoningField, String.join("", this.reply.reasoning));
		}
		if (!this.reply.toolCalls.isEmpty()) {
			ArrayNode calls = message.putArray("tool_calls");
			for (int index = 0; index < this.reply.toolCalls.size(); index++) {
				ToolCall call = this.reply.toolCalls.get(index);
				calls.addObject()
					.put("id", call.id(this.reply, index))
					.put("type", "function")
					.putObject("function")
					.put("name", call.name())
					.put("arguments", call.arguments());
			}
		}
		message.put("refusal", this.reply.refusal);
		choice.putNull("logprobs").put("finish_reason", finishReason());
		root.set("usage", usage());
		return root;
	}

	private List<String> frames(boolean includeUsage) {
		List<String> chunks = new ArrayList<>();
		chunks.add(chunk(delta().put("role", "assistant").put("content", "").putNull("refusal"), null, includeUsage));
		this.reply.reasoning
			.forEach((part) -> chunks.add(chunk(delta().put(this.reply.reasoningField, part), null, includeUsage)));
		List<String> content = this.reply.content;
		boolean finishWithContent = this.reply.contentWithFinish && !content.isEmpty() && this.reply.toolCalls.isEmpty()
				&& this.reply.refusal == null;
		for (int i = 0; i < content.size(); i++) {
			String finish = (finishWithContent && i == content.size() - 1) ? finishReason() : null;
			chunks.add(chunk(delta().put("content", content.get(i)), finish, includeUsage));
		}
		if (this.reply.refusal != null) {
			chunks.add(chunk(delta().put("refusal", this.reply.refusal), null, includeUsage));
		}
		toolCallDeltas().forEach((delta) -> chunks.add(chunk(delta, null, includeUsage)));
		if (this.reply.errorMessage != null) {
			ObjectNode error = Protocol.JSON.createObjectNode();
			error.putObject("error")
				.put("message", this.reply.errorMessage)
				.put("type", this.reply.errorType)
				.putNull("code");
			chunks.add(Sse.data(error.toString()));
			return chunks;
		}
		if (!finishWithContent) {
			chunks.add(chunk(delta(), finishReason(), includeUsage));
		}
		if (includeUsage) {
			ObjectNode last = envelope("chat.completion.chunk");
			last.putArray("choices");
			last.set("usage", usage());
			chunks.add(Sse.data(last.toString()));
		}
		if (!this.reply.omitDone) {
			chunks.add(Sse.done());
		}
		return chunks;
	}

	private List<ObjectNode> toolCallDeltas() {
		List<ObjectNode> deltas = new ArrayList<>();
		List<ToolCall> calls = this.reply.toolCalls;
		int longest = calls.stream().mapToInt((call) -> Math.max(1, call.fragments().size())).max().orElse(0);
		if (this.reply.interleaveToolCalls) {
			for (int fragment = 0; fragment < longest; fragment++) {
				for (int index = 0; index < calls.size(); index++) {
					addToolCallDelta(deltas, calls.get(index), index, fragment);
				}
			}
			return deltas;
		}
		for (int index = 0; index < calls.size(); index++) {
			for (int fragment = 0; fragment < Math.max(1, calls.get(index).fragments().size()); fragment++) {
				addToolCallDelta(deltas, calls.get(index), index, fragment);
			}
		}
		return deltas;
	}

	private void addToolCallDelta(List<ObjectNode> deltas, ToolCall call, int index, int fragment) {
		List<String> fragments = call.fragments();
		if (fragment > 0 && fragment >= fragments.size()) {
			return;
		}
		ObjectNode delta = delta();
		ObjectNode entry = delta.putArray("tool_calls")
			.addObject()
			.put("index", this.reply.sharedToolIndex ? 0 : index);
		String arguments = fragments.isEmpty() ? "" : fragments.get(fragment);
		if (fragment == 0) {
			entry.put("id", call.id(this.reply, index)).put("type", "function");
			entry.putObject("function").put("name", call.name()).put("arguments", arguments);
		}
		else {
			entry.putObject("function").put("arguments", arguments);
		}
		deltas.add(delta);
	}

	private String chunk(ObjectNode delta, String finishReason, boolean includeUsage) {
		ObjectNode chunk = envelope("chat.completion.chunk");
		ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs").put("finish_reason", finishReason);
		if (includeUsage) {
			chunk.putNull("usage");
		}
		return Sse.data(chunk.toString());
	}

	private ObjectNode usage() {
		OpenAiReply r = this.reply;
		int completion = (r.completionTokens != null) ? r.completionTokens : Math.max(1, fragmentCount());
		ObjectNode usage = Protocol.JSON.createObjectNode();
		if (r.promptTokens != null) {
			usage.put("prompt_tokens", r.promptTokens).put("completion_tokens", completion);
			usage.put("total_tokens", r.promptTokens + completion);
		}
		else {
			int cached = r.cachedTokens + r.cacheWriteTokens;
			usage.put("prompt_tokens", Template.input(cached)).put("completion_tokens", completion);
			usage.put("total_tokens", Template.input(cached + completion));
		}
		ObjectNode prompt = usage.putObject("prompt_tokens_details").put("cached_tokens", r.cachedTokens);
		if (r.cacheWriteTokens > 0) {
			prompt.put("cache_write_tokens", r.cacheWriteTokens);
		}
		usage.putObject("completion_tokens_details").put("reasoning_tokens", r.reasoningTokens);
		return usage;
	}

	private int fragmentCount() {
		return this.reply.content.size() + this.reply.reasoning.size()
				+ this.reply.toolCalls.stream().mapToInt((call) -> call.fragments().size()).sum();
	}

	private String finishReason() {
		if (this.reply.finishReason != null) {
			return this.reply.finishReason;
		}
		return this.reply.toolCalls.isEmpty() ? "stop" : "tool_calls";
	}

	private static ObjectNode envelope(String object) {
		return Protocol.JSON.createObjectNode()
			.put("id", "chatcmpl-fake" + Template.ID)
			.put("object", object)
			.put("created", CREATED)
			.put("model", Template.MODEL)
			.put("system_fingerprint", "fp_fake");
	}

	private static ObjectNode delta() {
		return Protocol.JSON.createObjectNode();
	}

}
