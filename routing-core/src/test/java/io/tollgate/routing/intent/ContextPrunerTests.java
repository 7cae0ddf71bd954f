package io.tollgate.routing.intent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class ContextPrunerTests {

	/**
	 * A Claude Code–like history: a task, a tool call and its result, then the current
	 * turn.
	 */
	private static final String CONVERSATION = """
			{"model":"m",
			 "tools":[{"name":"Bash","input_schema":{"type":"object"}},{"name":"Read","input_schema":{"type":"object"}},
			          {"name":"WebFetch","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}],
			 "messages":[
			  {"role":"user","content":[{"type":"text","text":"What is in this screenshot?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
			  {"role":"assistant","content":"A login form."},
			  {"role":"user","content":"Now list the files"},
			  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},
			  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt"}]},
			  {"role":"assistant","content":"There is a.txt."},
			  {"role":"user","content":"Thanks. What is 2+2?"}]}""";

	private static final IntentOptions ALL = IntentOptions.of(IntentOptionsTests.json("""
			{"chatHistoryCompression":{"score":0.5},"toolOptimization":{"acceptScore":0.5,"alwaysInclude":["Read"]},
			 "mediaOptimization":true}"""));

	@Test
	void dropsUnneededMessagesButKeepsEachToolCallWithItsResult() {
		ObjectNode request = request();
		// the result (4) is not needed, so its call (3) goes with it; the answer to it
		// (5) is needed
		ContextPruner.Pruned pruned = ContextPruner.prune(request,
				verdict(Map.of(0, 0.9, 1, 0.9, 2, 0.9, 3, 0.9, 4, 0.1, 5, 0.9), Map.of(), Map.of()), ALL);
		assertThat(roles(request)).containsExactly("user", "assistant", "user", "assistant", "user");
		assertThat(request.toString()).doesNotContain("toolu_1");
		assertThat(pruned.messages()).isEqualTo(2);
	}

	@Test
	void dropsAResultWhoseCallWentAndNeverTouchesTheLastTwoMessages() {
		ObjectNode request = request();
		ContextPruner.prune(request, verdict(Map.of(3, 0.0, 5, 0.0, 6, 0.0), Map.of(), Map.of()), ALL);
		assertThat(request.toString()).doesNotContain("toolu_1");
		JsonNode messages = request.path("messages");
		assertThat(messages.get(messages.size() - 1).path("content").asString()).isEqualTo("Thanks. What is 2+2?");
		assertThat(messages.get(messages.size() - 2).path("content").asString()).isEqualTo("There is a.txt.");
	}

	@Test
	void keepsWhatTheRouterDidNotScore() {
		ObjectNode request = request();
		String before = request.toString();
		ContextPruner.Pruned pruned = ContextPruner.prune(request, verdict(Map.of(), Map.of(), Map.of()), ALL);
		assertThat(pruned.changed()).isFalse();
		assertThat(request.toString()).isEqualTo(before);
	}

	@Test
	void dropsLowScoredToolsButNeverUsedForcedAlwaysIncludedOrServerTools() {
		ObjectNode request = request();
		request.putObject("tool_choice").put("type", "tool").put("name", "WebFetch");
		ContextPruner.Pruned pruned = ContextPruner.prune(request,
				verdict(Map.of(), Map.of("Bash", 0.0, "Read", 0.0, "WebFetch", 0.0, "web_search", 0.0), Map.of()), ALL);
		assertThat(pruned.tools()).isZero();
		ObjectNode unforced = request();
		ContextPruner.prune(unforced,
				verdict(Map.of(), Map.of("Bash", 0.0, "Read", 0.0, "WebFetch", 0.1, "web_search", 0.0), Map.of()), ALL);
		assertThat(unforced.path("tools").findValuesAsString("name")).containsExactly("Bash", "Read", "web_search");
	}

	@Test
	void replacesPastImagesTheTurnDoesNotNeed() {
		ObjectNode request = request();
		ContextPruner.Pruned pruned = ContextPruner.prune(request, verdict(Map.of(), Map.of(), Map.of(0, 0.1)), ALL);
		assertThat(pruned.images()).isEqualTo(1);
		assertThat(request.path("messages").get(0).path("content").get(1).path("text").asString())
			.isEqualTo("[image omitted]");
	}

	private static ObjectNode request() {
		return (ObjectNode) IntentOptionsTests.json(CONVERSATION);
	}

	private static RouterVerdict verdict(Map<Integer, Double> history, Map<String, Double> tools,
			Map<Integer, Double> media) {
		return new RouterVerdict(null, 0.5, history, tools, media);
	}

	private static List<String> roles(ObjectNode request) {
		return request.path("messages").findValuesAsString("role");
	}

}
