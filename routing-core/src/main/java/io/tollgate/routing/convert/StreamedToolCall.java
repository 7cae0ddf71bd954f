package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

/**
 * One upstream tool call of a stream. Its argument fragments are streamed as they arrive,
 * one {@code input_json_delta} each, as long as they continue one JSON object (C90); a
 * fragment that would break the object diverts the rest, which is then only collected.
 * When the block closes, {@link #completion} finishes the object: with the rest of the
 * repaired arguments when what was sent is their beginning (C130), else by closing what
 * was sent, so the concatenation is always an object (C90, C91). Fragments that arrive
 * before the call's block opens wait in order.
 */
final class StreamedToolCall {

	private final int upstreamIndex;

	private final int sequence;

	private final StringBuilder arguments = new StringBuilder();

	private final List<String> waiting = new ArrayList<>();

	private final JsonPrefix sent = new JsonPrefix();

	private final SurrogateCarry carry = new SurrogateCarry();

	private boolean diverted;

	private String id;

	private String name;

	private int blockIndex = -1;

	private boolean closed;

	StreamedToolCall(int upstreamIndex, int sequence) {
		this.upstreamIndex = upstreamIndex;
		this.sequence = sequence;
	}

	int upstreamIndex() {
		return this.upstreamIndex;
	}

	/** The order in which the stream first mentioned the call. */
	int sequence() {
		return this.sequence;
	}

	void identify(String id, String name) {
		if (this.id == null && !Json.isEmpty(id)) {
			this.id = id;
		}
		if (this.name == null && !Json.isEmpty(name)) {
			this.name = name;
		}
	}

	String id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	/** Collects a fragment that arrived before the call's block opened. */
	void hold(String fragment) {
		this.arguments.append(fragment);
		this.waiting.add(fragment);
	}

	/** The fragments that waited for the block to open, each to be streamed. */
	List<String> takeWaiting() {
		List<String> fragments = List.copyOf(this.waiting);
		this.waiting.clear();
		return fragments;
	}

	/**
	 * Takes a fragment of the open block.
	 * @param collect whether the fragment still has to be added to the arguments (not
	 * when it waited and was collected then)
	 * @return the {@code partial_json} to send now, or {@code null} for none
	 */
	String stream(String fragment, boolean collect) {
		if (collect) {
			this.arguments.append(fragment);
		}
		String text = this.carry.take(fragment);
		if (this.diverted || text.isEmpty()) {
			return null;
		}
		if (this.sent.accept(text)) {
			return text;
		}
		this.diverted = true;
		return null;
	}

	/** Whether what was sent already is a complete object. */
	boolean complete() {
		return !this.diverted && this.sent.complete();
	}

	/**
	 * The last {@code partial_json} of the block, or {@code ""} when nothing is missing.
	 */
	String completion() {
		if (!this.sent.started()) {
			return ToolArguments.normalise(this.arguments.toString());
		}
		if (complete()) {
			return "";
		}
		String repaired = ToolArguments.normalise(this.arguments.toString());
		String compact = this.sent.compact();
		return repaired.startsWith(compact) ? repaired.substring(compact.length()) : this.sent.closingSuffix();
	}

	boolean started() {
		return this.blockIndex >= 0;
	}

	int blockIndex() {
		return this.blockIndex;
	}

	void start(int blockIndex) {
		this.blockIndex = blockIndex;
	}

	boolean closed() {
		return this.closed;
	}

	void close() {
		this.closed = true;
	}

}
