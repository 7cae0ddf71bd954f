package io.tollgate.routing.convert;

/**
 * One upstream tool call of a stream, keyed by its OpenAI {@code index}. Its arguments
 * are collected until its block closes and then sent as one {@code input_json_delta} of
 * repaired, compact JSON: fragments of several calls may interleave (C140), and a
 * concatenation that is not a JSON object would break clients (C90, C91).
 */
final class StreamedToolCall {

	private final int upstreamIndex;

	private final StringBuilder arguments = new StringBuilder();

	private String id;

	private String name;

	private int blockIndex = -1;

	private boolean closed;

	StreamedToolCall(int upstreamIndex) {
		this.upstreamIndex = upstreamIndex;
	}

	int upstreamIndex() {
		return this.upstreamIndex;
	}

	void identify(String id, String name) {
		if (this.id == null && !Json.isEmpty(id)) {
			this.id = id;
		}
		if (this.name == null && !Json.isEmpty(name)) {
			this.name = name;
		}
	}

	void appendArguments(String fragment) {
		this.arguments.append(fragment);
	}

	String id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	String arguments() {
		return this.arguments.toString();
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
