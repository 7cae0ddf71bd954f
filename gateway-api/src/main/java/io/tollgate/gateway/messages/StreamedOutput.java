package io.tollgate.gateway.messages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.routing.convert.TokenEstimator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The output a stream delivered, so that the output of a stream the client abandoned can
 * be estimated: text, thinking and tool-input deltas, counted with the
 * {@link TokenEstimator}. The {@code content_block_delta} events are kept as they came
 * (no parsing per event), and every {@value #COMPACT_AT} of them are reduced to the text
 * they carry: the JSON around a delta is ten times its text or more, and a stream used to
 * hold every event it relayed until it ended.
 */
public final class StreamedOutput {

	/**
	 * Deltas kept as JSON before they are reduced to their text: every delta is parsed
	 * once whatever this is, so it only bounds what a stream holds (64 held about 7 KB
	 * per stream, a quarter of a held stream's heap).
	 */
	static final int COMPACT_AT = 8;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TokenEstimator ESTIMATOR = new TokenEstimator();

	/** The deltas not yet reduced, as JSON in UTF-8. */
	private final List<byte[]> deltas = new ArrayList<>();

	private final StringBuilder text = new StringBuilder();

	private boolean delivered;

	/**
	 * Notes one {@code content_block_delta} event.
	 * @param data its JSON
	 */
	public synchronized void delta(String data) {
		add((data != null) ? data.getBytes(StandardCharsets.UTF_8) : null);
	}

	/**
	 * Notes one {@code content_block_delta} event as it arrived, parsed only when the
	 * deltas are reduced.
	 * @param data its JSON in UTF-8
	 */
	public synchronized void delta(byte[] data) {
		add(data);
	}

	private void add(byte[] data) {
		if (data != null) {
			this.delivered = true;
			this.deltas.add(data);
			if (this.deltas.size() >= COMPACT_AT) {
				compact();
			}
		}
	}

	/**
	 * Whether any output was delivered.
	 * @return true once a delta was relayed
	 */
	public synchronized boolean delivered() {
		return this.delivered;
	}

	/**
	 * Estimates the output tokens delivered so far.
	 * @return the estimate
	 */
	public synchronized long estimateTokens() {
		compact();
		return ESTIMATOR.countText(this.text.toString());
	}

	/** JSON kept so far, in bytes: what the deltas not yet reduced hold. */
	synchronized int pendingJsonLength() {
		return this.deltas.stream().mapToInt((data) -> data.length).sum();
	}

	private void compact() {
		for (byte[] data : this.deltas) {
			append(data);
		}
		this.deltas.clear();
	}

	/**
	 * Appends what one delta event carries, read with a streaming parser: the event's
	 * {@code delta} object, its {@code type} and the text that type names.
	 */
	private void append(byte[] data) {
		try (JsonParser parser = JSON.createParser(data)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				if (parser.nextToken() == JsonToken.START_OBJECT && "delta".equals(name)) {
					appendDelta(parser);
				}
				else {
					parser.skipChildren();
				}
			}
		}
	}

	private void appendDelta(JsonParser parser) {
		String type = "";
		String text = null;
		String thinking = null;
		String partialJson = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			if (parser.nextToken() != JsonToken.VALUE_STRING) {
				parser.skipChildren();
				continue;
			}
			switch (name) {
				case "type" -> type = parser.getString();
				case "text" -> text = parser.getString();
				case "thinking" -> thinking = parser.getString();
				case "partial_json" -> partialJson = parser.getString();
				default -> {
				}
			}
		}
		String carried = switch (type) {
			case "text_delta" -> text;
			case "thinking_delta" -> thinking;
			case "input_json_delta" -> partialJson;
			default -> null;
		};
		if (carried != null) {
			this.text.append(carried);
		}
	}

}
