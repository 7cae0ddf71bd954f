package io.tollgate.routing.convert;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class RequestConverterTests {

	private static final Set<String> BODY_KEYS = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
			"stream", "stream_options", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice",
			"parallel_tool_calls", "reasoning_effort", "response_format", "user");

	private static final Set<String> MESSAGE_KEYS = Set.of("role", "content", "tool_calls", "tool_call_id",
			"reasoning_content", "reasoning");

	private static final Set<String> PART_KEYS = Set.of("type", "text", "image_url", "file", "cache_control");

	static List<String> convertibleFixtures() {
		return RequestConverterGoldenTests.cases()
			.stream()
			.filter((name) -> !Golden.of("request").exists(name + ".error.txt"))
			.toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("convertibleFixtures")
	void neverForwardsKeysOutsideTheOpenAiRequestShape(String name) {
		ObjectNode body = Golden.convert(Golden.of("request").request(name), RequestConverterGoldenTests.quirks(name))
			.body();
		assertThat(body.propertyNames()).as("C128, C35: top-level keys").isSubsetOf(BODY_KEYS);
		for (JsonNode message : body.get("messages")) {
			assertThat(message.propertyNames()).as("message keys").isSubsetOf(MESSAGE_KEYS);
			JsonNode content = message.get("content");
			if (content != null && content.isArray()) {
				for (JsonNode part : content) {
					assertThat(part.propertyNames()).as("content part keys").isSubsetOf(PART_KEYS);
					assertThat(part.get("type").stringValue()).isIn("text", "image_url", "file");
				}
			}
		}
		JsonNode tools = body.get("tools");
		if (tools != null) {
			for (JsonNode tool : tools) {
				assertThat(tool.propertyNames()).containsExactly("type", "function");
				assertThat(tool.get("function").propertyNames())
					.isSubsetOf(Set.of("name", "description", "parameters"));
				assertThat(tool.get("function").get("name").stringValue()).hasSizeLessThanOrEqualTo(64);
			}
		}
	}

	@Test
	void contextCarriesWhatTheWayBackNeeds() {
		String longName = "t".repeat(80);
		ObjectNode request = (ObjectNode) Json.MAPPER.readTree("""
				{"model":"claude-opus-4-5","max_tokens":10,"stream":true,"stop_sequences":["a","b","c","d","e"],
				 "messages":[{"role":"user","content":"Hello there"}],
				 "tools":[{"name":"%s","input_schema":{"type":"object"}}]}""".formatted(longName));
		ConvertedRequest converted = new RequestConverter(() -> "msg_fixed").toOpenAi(request, "gpt-x",
				OpenAiQuirks.defaults());
		ConversionContext context = converted.context();
		assertThat(converted.body().get("model").stringValue()).isEqualTo("gpt-x");
		assertThat(context.requestedModel()).as("C76").isEqualTo("claude-opus-4-5");
		assertThat(context.messageId()).isEqualTo("msg_fixed");
		assertThat(context.stream()).isTrue();
		assertThat(context.stopSequences()).as("C132: all of them, even those not forwarded")
			.containsExactly("a", "b", "c", "d", "e");
		String upstreamName = converted.body().get("tools").get(0).get("function").get("name").stringValue();
		assertThat(context.toolNames()).as("C118").isEqualTo(Map.of(upstreamName, longName));
		assertThat(context.clientToolName(upstreamName)).isEqualTo(longName);
		assertThat(context.clientToolName("other")).isEqualTo("other");
		assertThat(context.estimatedInputTokens()).isPositive();
	}

	@Test
	void generatesDistinctAnthropicShapedMessageIds() {
		ObjectNode request = Golden.DEFAULT_REQUEST.deepCopy();
		RequestConverter converter = new RequestConverter();
		String first = converter.toOpenAi(request, "m", OpenAiQuirks.defaults()).context().messageId();
		String second = converter.toOpenAi(request, "m", OpenAiQuirks.defaults()).context().messageId();
		assertThat(first).as("C69").matches("msg_01[0-9A-Za-z]{22}");
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void shortensLongToolNamesToSixtyFourCharactersWithAStableHash() {
		String name = "x".repeat(100);
		assertThat(ToolNameMap.shorten(name)).hasSize(64)
			.startsWith("x".repeat(55) + "_")
			.isEqualTo(ToolNameMap.shorten(name));
		assertThat(ToolNameMap.shorten(name + "y")).isNotEqualTo(ToolNameMap.shorten(name));
		assertThat(ToolNameMap.shorten(" ")).isEqualTo(ToolNameMap.BLANK_PLACEHOLDER);
		assertThat(ToolNameMap.shorten("Bash")).isEqualTo("Bash");
	}

}
