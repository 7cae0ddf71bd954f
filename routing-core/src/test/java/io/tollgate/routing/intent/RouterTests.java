package io.tollgate.routing.intent;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final IntentOptions OPTIONS = IntentOptions.of(IntentOptionsTests.json("""
			{"tags":[{"name":"code","description":"programming","models":["opus","haiku"]},
			         {"name":"chat","description":"small talk","models":["haiku"]}],
			 "chatHistoryCompression":true, "toolOptimization":true, "mediaOptimization":true}"""));

	@Test
	void asksTheRouterModelThroughAForcedToolCall() {
		ObjectNode request = (ObjectNode) IntentOptionsTests.json("""
				{"model":"m","messages":[{"role":"user","content":"Fix the failing test in Foo.java"}],
				 "tools":[{"name":"Bash","description":"Runs a command","input_schema":{"type":"object"}}]}""");
		JsonNode prompt = JSON.readTree(RouterPrompt.request("router-model", OPTIONS, RequestDigest.of(request)));
		assertThat(prompt.path("model").asString()).isEqualTo("router-model");
		assertThat(prompt.path("tool_choice").path("name").asString()).isEqualTo("classify");
		JsonNode schema = prompt.path("tools").get(0).path("input_schema");
		assertThat(schema.path("properties").path("tag").path("enum").toString()).isEqualTo("[\"code\",\"chat\"]");
		assertThat(schema.path("properties").has("history")).isTrue();
		String digest = prompt.path("messages").get(0).path("content").asString();
		assertThat(digest).contains("- code: programming", "- Bash: Runs a command",
				"Fix the failing test in Foo.java");
	}

	@Test
	void readsTheVerdictFromTheToolCallOrFromJsonText() {
		String toolUse = """
				{"content":[{"type":"tool_use","name":"classify","input":{"tag":"code","complexity":0.8,
				 "history":[{"index":0,"score":0.1}],"tools":[{"name":"Bash","score":0.9}],"media":[{"index":0,"score":0}]}}]}""";
		RouterVerdict verdict = RouterVerdict.parse(bytes(toolUse), OPTIONS).orElseThrow();
		assertThat(verdict.tag().name()).isEqualTo("code");
		assertThat(verdict.complexity()).isEqualTo(0.8);
		assertThat(verdict.history()).containsEntry(0, 0.1);
		assertThat(verdict.tools()).containsEntry("Bash", 0.9);
		assertThat(verdict.media()).containsEntry(0, 0.0);
		String text = "{\"content\":[{\"type\":\"text\",\"text\":\"Sure: {\\\"tag\\\":\\\"chat\\\",\\\"complexity\\\":3}\"}]}";
		RouterVerdict fromText = RouterVerdict.parse(bytes(text), OPTIONS).orElseThrow();
		assertThat(fromText.tag().name()).isEqualTo("chat");
		assertThat(fromText.complexity()).isEqualTo(1.0);
	}

	@Test
	void findsNoVerdictInAnswersWithoutOne() {
		assertThat(RouterVerdict.parse(bytes("<html>"), OPTIONS)).isEmpty();
		assertThat(RouterVerdict.parse(bytes("{\"content\":[{\"type\":\"text\",\"text\":\"no idea\"}]}"), OPTIONS))
			.isEmpty();
		assertThat(RouterVerdict.parse(bytes(
				"{\"content\":[{\"type\":\"tool_use\",\"name\":\"classify\",\"input\":{\"tag\":\"poetry\",\"complexity\":0.5}}]}"),
				OPTIONS))
			.as("a tag the request did not name")
			.isEmpty();
	}

	@Test
	void putsThePlanAtTheEndOfTheSystemPrompt() {
		ObjectNode none = (ObjectNode) IntentOptionsTests.json("{\"messages\":[]}");
		Planning.insert(none, "1. a");
		assertThat(none.path("system").asString()).isEqualTo("<plan>\n1. a\n</plan>");
		ObjectNode string = (ObjectNode) IntentOptionsTests.json("{\"system\":\"Be terse.\"}");
		Planning.insert(string, "1. a");
		assertThat(string.path("system").asString()).isEqualTo("Be terse.\n\n<plan>\n1. a\n</plan>");
		ObjectNode blocks = (ObjectNode) IntentOptionsTests
			.json("{\"system\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\"}}]}");
		Planning.insert(blocks, "1. a");
		assertThat(blocks.path("system").size()).isEqualTo(2);
		assertThat(blocks.path("system").get(0).has("cache_control")).isTrue();
		assertThat(Planning.plan(bytes("{\"content\":[{\"type\":\"text\",\"text\":\"  1. read\\n2. fix \"}]}")))
			.isEqualTo("1. read\n2. fix");
		assertThat(Planning.plan(bytes("{\"content\":[]}"))).isNull();
	}

	@Test
	void asksThePlannerForAPlanOfTheCurrentTurn() {
		RequestDigest digest = RequestDigest.of(IntentOptionsTests
			.json("{\"messages\":[{\"role\":\"user\",\"content\":\"old\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
					+ "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Refactor Foo\"}]}]}"));
		JsonNode request = JSON.readTree(Planning.request("planner", digest));
		assertThat(request.path("model").asString()).isEqualTo("planner");
		assertThat(request.path("messages").get(0).path("content").asString()).isEqualTo("Refactor Foo");
		assertThat(List.of(digest.lastUserText())).containsExactly("Refactor Foo");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
