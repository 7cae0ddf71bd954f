package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The tool calls of one stream, found for each {@code delta.tool_calls[]} fragment and
 * kept in upstream index order (C139). A fragment with an {@code index} belongs to the
 * latest call of that index, unless it names a function under a new {@code id}: Ollama
 * sends every parallel call, whole, at index 0, and a new id is what marks a new call
 * (C138). Without an index, a new id means a new call and no id means the previous call.
 */
final class StreamedToolCalls implements Iterable<StreamedToolCall> {

	private static final Comparator<StreamedToolCall> ORDER = Comparator.comparingInt(StreamedToolCall::upstreamIndex)
		.thenComparingInt(StreamedToolCall::sequence);

	private final List<StreamedToolCall> calls = new ArrayList<>();

	private StreamedToolCall last;

	StreamedToolCall forFragment(JsonNode fragment) {
		String id = Json.text(fragment, "id");
		JsonNode index = fragment.get("index");
		StreamedToolCall call;
		if (index != null && index.canConvertToInt()) {
			call = latestWithIndex(index.asInt());
			boolean newCall = call != null && !Json.isEmpty(id) && call.id() != null && !id.equals(call.id())
					&& !Json.isEmpty(Json.text(fragment.path("function"), "name"));
			if (call == null || newCall) {
				call = add(index.asInt());
			}
		}
		else if (Json.isEmpty(id)) {
			call = (this.last != null) ? this.last : add(0);
		}
		else {
			call = withId(id);
			if (call == null) {
				call = add(this.calls.stream().mapToInt(StreamedToolCall::upstreamIndex).max().orElse(-1) + 1);
			}
		}
		this.last = call;
		return call;
	}

	/**
	 * The first call in upstream order whose block has not opened yet, or {@code null}.
	 */
	StreamedToolCall nextToOpen() {
		StreamedToolCall next = null;
		for (StreamedToolCall call : this.calls) {
			if (!call.started() && !call.closed() && (next == null || ORDER.compare(call, next) < 0)) {
				next = call;
			}
		}
		return next;
	}

	boolean isEmpty() {
		return this.calls.isEmpty();
	}

	@Override
	public Iterator<StreamedToolCall> iterator() {
		return this.calls.stream().sorted(ORDER).iterator();
	}

	private StreamedToolCall add(int upstreamIndex) {
		StreamedToolCall call = new StreamedToolCall(upstreamIndex, this.calls.size());
		this.calls.add(call);
		return call;
	}

	private StreamedToolCall latestWithIndex(int upstreamIndex) {
		StreamedToolCall latest = null;
		for (StreamedToolCall call : this.calls) {
			if (call.upstreamIndex() == upstreamIndex) {
				latest = call;
			}
		}
		return latest;
	}

	private StreamedToolCall withId(String id) {
		for (StreamedToolCall call : this.calls) {
			if (id.equals(call.id())) {
				return call;
			}
		}
		return null;
	}

}
