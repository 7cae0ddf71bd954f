package io.tollgate.routing.convert;

import java.util.Iterator;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * The tool calls of one stream in upstream index order, found for each
 * {@code delta.tool_calls[]} fragment (C139). Fragments normally carry the OpenAI
 * {@code index}; without one, a new id means a new call and no id means the previous
 * call.
 */
final class StreamedToolCalls implements Iterable<StreamedToolCall> {

	private final TreeMap<Integer, StreamedToolCall> calls = new TreeMap<>();

	private int lastIndex = -1;

	StreamedToolCall forFragment(JsonNode fragment) {
		StreamedToolCall call = this.calls.computeIfAbsent(upstreamIndex(fragment), StreamedToolCall::new);
		this.lastIndex = call.upstreamIndex();
		return call;
	}

	boolean isEmpty() {
		return this.calls.isEmpty();
	}

	@Override
	public Iterator<StreamedToolCall> iterator() {
		return this.calls.values().iterator();
	}

	private int upstreamIndex(JsonNode fragment) {
		JsonNode index = fragment.get("index");
		if (index != null && index.canConvertToInt()) {
			return index.asInt();
		}
		String id = Json.text(fragment, "id");
		if (id == null) {
			return Math.max(this.lastIndex, 0);
		}
		for (StreamedToolCall call : this.calls.values()) {
			if (id.equals(call.id())) {
				return call.upstreamIndex();
			}
		}
		return this.calls.isEmpty() ? 0 : this.calls.lastKey() + 1;
	}

}
