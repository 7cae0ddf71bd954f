package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates plausible and awkward OpenAI chunk sequences from a seed: reasoning under
 * either field name, text, up to three tool calls with Kimi-style, plain or missing ids,
 * arguments split anywhere (sometimes broken), interleaved across calls or all at index 0
 * (Ollama), blank deltas, a role-only first chunk, content combined with the finish,
 * usage in its own choices-less chunk, in the finish chunk or absent, a finish reason or
 * an abrupt end, with or without {@code [DONE]}.
 */
final class RandomUpstreamStream {

	private static final String[] WORDS = { "the", "héllo", "日本語", "🙂", "quote\"d", "back\\slash", "new\nline",
			"tab\t", "{json}", " ", "x" };

	private static final String[] FINISHES = { "stop", "length", "tool_calls", "content_filter" };

	private final Random random;

	private final List<ObjectNode> chunks = new ArrayList<>();

	private RandomUpstreamStream(long seed) {
		this.random = new Random(seed);
	}

	static List<String> generate(long seed) {
		return new RandomUpstreamStream(seed).build();
	}

	private List<String> build() {
		if (this.random.nextBoolean()) {
			delta().put("role", "assistant").put("content", "");
		}
		if (this.random.nextInt(3) == 0) {
			String field = this.random.nextBoolean() ? "reasoning_content" : "reasoning";
			for (String piece : split(text())) {
				delta().put(field, piece);
			}
		}
		if (this.random.nextInt(4) != 0) {
			for (String piece : split(text())) {
				delta().put("content", piece);
				if (this.random.nextInt(8) == 0) {
					delta().put("content", "");
				}
			}
		}
		int toolCount = this.random.nextInt(4);
		if (toolCount > 0) {
			toolCalls(toolCount);
		}
		finish(toolCount > 0);
		List<String> payloads = new ArrayList<>();
		this.chunks.forEach((chunk) -> payloads.add(chunk.toString()));
		if (this.random.nextBoolean()) {
			payloads.add("[DONE]");
		}
		return payloads;
	}

	private void toolCalls(int count) {
		boolean interleave = this.random.nextBoolean();
		// Ollama: every call at index 0, each with its own id
		boolean sharedIndex = !interleave && this.random.nextInt(3) == 0;
		List<List<ObjectNode>> fragments = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			List<ObjectNode> calls = new ArrayList<>();
			List<String> pieces = split(arguments());
			for (int p = 0; p < Math.max(1, pieces.size()); p++) {
				ObjectNode call = Golden.MAPPER.createObjectNode().put("index", sharedIndex ? 0 : i);
				ObjectNode function = call.putObject("function");
				if (p == 0) {
					String id = switch (this.random.nextInt(4)) {
						case 0 -> "functions.Tool_" + i + ":" + i;
						case 1 -> null;
						default -> "call_" + this.random.nextInt(1000) + "_" + i;
					};
					if (sharedIndex) {
						id = "call_ollama_" + i;
					}
					if (id != null) {
						call.put("id", id).put("type", "function");
					}
					function.put("name", "tool_name_" + this.random.nextInt(5));
				}
				if (p < pieces.size()) {
					function.put("arguments", pieces.get(p));
				}
				calls.add(call);
			}
			fragments.add(calls);
		}
		int started = 0;
		while (fragments.stream().anyMatch((calls) -> !calls.isEmpty())) {
			int pick = interleave ? this.random.nextInt(Math.min(started + 1, count)) : firstNonEmpty(fragments);
			if (fragments.get(pick).isEmpty()) {
				pick = firstNonEmpty(fragments);
			}
			started = Math.max(started, pick + 1);
			ArrayNode calls = delta().putArray("tool_calls");
			calls.add(fragments.get(pick).remove(0));
			if (this.random.nextInt(5) == 0 && pick + 1 < started && !fragments.get(pick + 1).isEmpty()) {
				calls.add(fragments.get(pick + 1).remove(0));
			}
		}
	}

	private static int firstNonEmpty(List<List<ObjectNode>> fragments) {
		for (int i = 0; i < fragments.size(); i++) {
			if (!fragments.get(i).isEmpty()) {
				return i;
			}
		}
		throw new IllegalStateException("no fragments left");
	}

	private void finish(boolean tools) {
		int usagePlacement = this.random.nextInt(3);
		ObjectNode usage = Golden.MAPPER.createObjectNode()
			.put("prompt_tokens", 10 + this.random.nextInt(1000))
			.put("completion_tokens", 1 + this.random.nextInt(500));
		if (this.random.nextBoolean()) {
			usage.putObject("prompt_tokens_details").put("cached_tokens", this.random.nextInt(10));
		}
		if (this.random.nextInt(6) == 0) {
			if (usagePlacement != 2) {
				chunkWithoutChoices().set("usage", usage);
			}
			return;
		}
		String reason = (tools && this.random.nextBoolean()) ? "tool_calls"
				: FINISHES[this.random.nextInt(FINISHES.length)];
		boolean combine = !this.chunks.isEmpty() && this.random.nextInt(4) == 0;
		ObjectNode finishChunk = combine ? this.chunks.get(this.chunks.size() - 1) : chunk();
		ObjectNode choice = choice(finishChunk);
		if (!choice.has("delta")) {
			choice.putObject("delta");
		}
		choice.put("finish_reason", reason);
		if (usagePlacement == 0) {
			chunkWithoutChoices().set("usage", usage);
		}
		else if (usagePlacement == 1) {
			finishChunk.set("usage", usage);
		}
	}

	private String text() {
		StringBuilder text = new StringBuilder();
		int words = 1 + this.random.nextInt(12);
		for (int i = 0; i < words; i++) {
			text.append(WORDS[this.random.nextInt(WORDS.length)]).append(' ');
		}
		return text.toString();
	}

	private String arguments() {
		return switch (this.random.nextInt(6)) {
			case 0 -> "";
			case 1 -> "{\"path\": \"/tmp/a\", \"lines\": [1, 2";
			case 2 -> "{'loose': True, trailing: 1,}";
			default -> {
				ObjectNode arguments = Golden.MAPPER.createObjectNode();
				int fields = this.random.nextInt(4);
				for (int i = 0; i < fields; i++) {
					arguments.put("k" + i, text());
				}
				if (this.random.nextBoolean()) {
					arguments.putObject("nested").putArray("list").add(this.random.nextInt()).add(1.5);
				}
				yield arguments.toString();
			}
		};
	}

	/** Splits at random points, code point boundaries kept; may yield empty pieces. */
	private List<String> split(String text) {
		List<String> pieces = new ArrayList<>();
		int start = 0;
		while (start < text.length()) {
			int end = Math.min(text.length(), start + this.random.nextInt(8));
			if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) {
				end++;
			}
			pieces.add(text.substring(start, end));
			start = end;
		}
		return pieces;
	}

	private ObjectNode delta() {
		return choice(chunk()).putObject("delta");
	}

	private ObjectNode chunk() {
		ObjectNode chunk = chunkWithoutChoices();
		((ArrayNode) chunk.get("choices")).addObject().put("index", 0).putNull("finish_reason");
		return chunk;
	}

	private static ObjectNode choice(ObjectNode chunk) {
		return (ObjectNode) chunk.get("choices").get(0);
	}

	private ObjectNode chunkWithoutChoices() {
		ObjectNode chunk = Golden.MAPPER.createObjectNode().put("object", "chat.completion.chunk");
		chunk.putArray("choices");
		this.chunks.add(chunk);
		return chunk;
	}

}
