package io.tollgate.routing.intent;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the router model decided.
 *
 * @param tag the matching tag, or {@code null}
 * @param complexity from 0 to 1
 * @param history dependency scores of earlier messages, by index
 * @param tools relevance scores of tools, by name
 * @param media need scores of images, by their index in the digest
 */
public record RouterVerdict(Tag tag, double complexity, Map<Integer, Double> history, Map<String, Double> tools,
		Map<Integer, Double> media) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Reads the router model's answer (an Anthropic Messages response): the input of its
	 * {@code classify} call, or a JSON object in its text.
	 * @param response the response body
	 * @param options the options the request was built from
	 * @return the verdict, or empty when the answer holds none
	 */
	public static Optional<RouterVerdict> parse(byte[] response, IntentOptions options) {
		JsonNode input;
		try {
			input = input(JSON.readTree(response));
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
		if (input == null || !input.path("complexity").isNumber()) {
			return Optional.empty();
		}
		Tag tag = null;
		String name = input.path("tag").asString(null);
		if (name != null) {
			tag = options.tags().stream().filter((t) -> t.name().equals(name)).findFirst().orElse(null);
		}
		if (!options.tags().isEmpty() && tag == null) {
			return Optional.empty();
		}
		double complexity = Math.max(0, Math.min(1, input.path("complexity").asDouble()));
		return Optional.of(new RouterVerdict(tag, complexity, indexed(input.path("history")),
				named(input.path("tools")), indexed(input.path("media"))));
	}

	private static JsonNode input(JsonNode response) {
		for (JsonNode block : response.path("content")) {
			if (block.path("type").asString("").equals("tool_use")
					&& block.path("name").asString("").equals(RouterPrompt.TOOL)) {
				return block.path("input");
			}
		}
		for (JsonNode block : response.path("content")) {
			if (block.path("type").asString("").equals("text")) {
				String text = block.path("text").asString("");
				int start = text.indexOf('{');
				int end = text.lastIndexOf('}');
				if (start >= 0 && end > start) {
					try {
						return JSON.readTree(text.substring(start, end + 1));
					}
					catch (JacksonException ex) {
						return null;
					}
				}
			}
		}
		return null;
	}

	private static Map<Integer, Double> indexed(JsonNode list) {
		Map<Integer, Double> scores = new HashMap<>();
		for (JsonNode item : list) {
			if (item.path("index").isIntegralNumber() && item.path("score").isNumber()) {
				scores.put(item.path("index").asInt(), item.path("score").asDouble());
			}
		}
		return Map.copyOf(scores);
	}

	private static Map<String, Double> named(JsonNode list) {
		Map<String, Double> scores = new HashMap<>();
		for (JsonNode item : list) {
			if (item.path("name").isString() && item.path("score").isNumber()) {
				scores.put(item.path("name").asString(), item.path("score").asDouble());
			}
		}
		return Map.copyOf(scores);
	}

}
