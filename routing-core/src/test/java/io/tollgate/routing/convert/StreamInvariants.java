package io.tollgate.routing.convert;

import java.util.List;

import io.tollgate.routing.sse.SseEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The structural rules every converted stream obeys, checked event by event (sections F
 * and J).
 */
final class StreamInvariants {

	private static final JsonMapper STRICT = JsonMapper.builder().build();

	private StreamInvariants() {
	}

	static void check(List<SseEvent> events) {
		assertThat(events).as("a stream emits something").isNotEmpty();
		for (SseEvent event : events) {
			assertThat(STRICT.readTree(event.data()).path("type").asString()).as("C80: data type equals event name")
				.isEqualTo(event.event());
		}
		SseEvent last = events.get(events.size() - 1);
		if ("error".equals(last.event())) {
			assertThat(events.stream().filter((e) -> e.event().equals("error"))).as("C144: one error, last").hasSize(1);
			checkPrefix(events.subList(0, events.size() - 1), false);
			return;
		}
		checkPrefix(events, true);
	}

	private static void checkPrefix(List<SseEvent> events, boolean complete) {
		if (events.isEmpty()) {
			return;
		}
		assertThat(events.get(0).event()).as("C85: message_start first").isEqualTo("message_start");
		int nextIndex = 0;
		int openIndex = -1;
		String openType = null;
		StringBuilder toolJson = new StringBuilder();
		int toolDeltas = 0;
		boolean signed = false;
		boolean messageDelta = false;
		for (int i = 1; i < events.size(); i++) {
			JsonNode data = STRICT.readTree(events.get(i).data());
			switch (events.get(i).event()) {
				case "message_start" -> fail("C85: a second message_start");
				case "content_block_start" -> {
					assertThat(openIndex).as("C83: blocks do not overlap").isEqualTo(-1);
					assertThat(messageDelta).as("C93: no block after message_delta").isFalse();
					assertThat(data.path("index").asInt()).as("C87: indices 0,1,2 without gaps").isEqualTo(nextIndex);
					openIndex = nextIndex++;
					openType = data.path("content_block").path("type").asString();
					toolJson.setLength(0);
					toolDeltas = 0;
					signed = false;
				}
				case "content_block_delta" -> {
					assertThat(data.path("index").asInt()).as("C87: delta for the open block").isEqualTo(openIndex);
					JsonNode delta = data.path("delta");
					String type = delta.path("type").asString();
					assertThat(signed).as("C92: signature_delta is the last delta").isFalse();
					switch (type) {
						case "text_delta" -> {
							assertThat(openType).as("C89").isEqualTo("text");
							assertThat(delta.path("text").asString()).as("C145: no empty text_delta").isNotEmpty();
						}
						case "thinking_delta" -> {
							assertThat(openType).as("C89").isEqualTo("thinking");
							assertThat(delta.path("thinking").asString()).isNotEmpty();
						}
						case "signature_delta" -> {
							assertThat(openType).as("C89").isEqualTo("thinking");
							assertThat(delta.path("signature").asString()).as("C67")
								.isNotBlank()
								.doesNotContain(" ", "\n");
							signed = true;
						}
						case "input_json_delta" -> {
							assertThat(openType).as("C89").isEqualTo("tool_use");
							toolJson.append(delta.path("partial_json").asString());
							toolDeltas++;
						}
						default -> fail("unexpected delta type " + type);
					}
				}
				case "content_block_stop" -> {
					assertThat(data.path("index").asInt()).as("C93: stop the open block").isEqualTo(openIndex);
					if ("tool_use".equals(openType)) {
						assertThat(toolDeltas).as("C91: every tool block gets input_json_delta").isPositive();
						assertThat(parsesAsObject(toolJson.toString()))
							.as("C90: concatenation is an object: " + toolJson)
							.isTrue();
					}
					if ("thinking".equals(openType)) {
						assertThat(signed).as("C92: thinking closes with a signature_delta").isTrue();
					}
					openIndex = -1;
				}
				case "message_delta" -> {
					assertThat(openIndex).as("C93: blocks stopped before message_delta").isEqualTo(-1);
					assertThat(messageDelta).as("one message_delta").isFalse();
					messageDelta = true;
					JsonNode delta = data.path("delta");
					assertThat(delta.has("stop_sequence")).as("C95: stop_sequence key present").isTrue();
					if (!"stop_sequence".equals(delta.path("stop_reason").asString())) {
						assertThat(delta.get("stop_sequence").isNull()).as("C95: explicitly null").isTrue();
					}
					assertThat(delta.path("stop_reason").isString()).as("C70").isTrue();
					assertThat(data.path("usage").path("output_tokens").canConvertToLong()).as("C94").isTrue();
					assertThat(data.path("usage").path("input_tokens").canConvertToLong()).as("C94").isTrue();
				}
				case "message_stop" -> {
					assertThat(messageDelta).as("C83: message_delta before message_stop").isTrue();
					assertThat(i).as("C96: message_stop is last").isEqualTo(events.size() - 1);
				}
				default -> fail("unexpected event " + events.get(i).event());
			}
		}
		if (complete) {
			assertThat(events.get(events.size() - 1).event()).as("C96: ends with message_stop")
				.isEqualTo("message_stop");
		}
	}

	private static boolean parsesAsObject(String json) {
		try {
			return STRICT.readTree(json).isObject();
		}
		catch (JacksonException ex) {
			return false;
		}
	}

}
