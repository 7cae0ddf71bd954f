package io.tollgate.gateway.messages;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.routing.convert.TokenEstimator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code content_block_delta} events a stream delivered, kept as they came (no
 * parsing on the hot path) so that the output of a stream the client abandoned can be
 * estimated: text, thinking and tool-input deltas, counted with the
 * {@link TokenEstimator}.
 */
public final class StreamedOutput {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TokenEstimator ESTIMATOR = new TokenEstimator();

	private final List<String> deltas = new ArrayList<>();

	/**
	 * Notes one {@code content_block_delta} event.
	 * @param data its JSON
	 */
	public synchronized void delta(String data) {
		if (data != null) {
			this.deltas.add(data);
		}
	}

	/**
	 * Whether any output was delivered.
	 * @return true once a delta was relayed
	 */
	public synchronized boolean delivered() {
		return !this.deltas.isEmpty();
	}

	/**
	 * Estimates the output tokens delivered so far.
	 * @return the estimate
	 */
	public synchronized long estimateTokens() {
		StringBuilder text = new StringBuilder();
		for (String data : this.deltas) {
			JsonNode delta = JSON.readTree(data).path("delta");
			String type = delta.path("type").asString("");
			switch (type) {
				case "text_delta" -> text.append(delta.path("text").asString(""));
				case "thinking_delta" -> text.append(delta.path("thinking").asString(""));
				case "input_json_delta" -> text.append(delta.path("partial_json").asString(""));
				default -> {
				}
			}
		}
		return ESTIMATOR.countText(text.toString());
	}

}
