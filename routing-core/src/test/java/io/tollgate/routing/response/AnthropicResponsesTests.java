package io.tollgate.routing.response;

import java.nio.charset.StandardCharsets;

import io.tollgate.routing.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AnthropicResponsesTests {

	private static final String MESSAGE = "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
			+ "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hello \\\"there\\\"\"}],"
			+ "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,"
			+ "\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":3000,"
			+ "\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,\"ephemeral_1h_input_tokens\":200},"
			+ "\"output_tokens\":2000,\"service_tier\":\"standard\"}}";

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void echoesTheModelOfAWholeMessageAndReadsItsUsage() {
		AnthropicResponses.Echo echo = AnthropicResponses.message(bytes(MESSAGE), "claude-x", TokenUsage.ZERO);
		assertThat(text(echo.json())).isEqualTo(MESSAGE.replace("claude-sonnet-4-5", "claude-x"));
		assertThat(echo.usage()).isEqualTo(new TokenUsage(1000, 2000, 300, 100, 200, 3000));
	}

	@Test
	void givesWhatATreeRewriteGaveForCompactJson() {
		ObjectNode tree = (ObjectNode) this.json.readTree(MESSAGE);
		tree.put("model", "claude-\u00e9\"x");
		assertThat(text(AnthropicResponses.message(bytes(MESSAGE), "claude-\u00e9\"x", TokenUsage.ZERO).json()))
			.isEqualTo(this.json.writeValueAsString(tree));
	}

	@Test
	void leavesEveryOtherByteAsTheUpstreamWroteIt() {
		String pretty = "{\n  \"model\" : \"m\",\n  \"n\": 1.0E3, \"e\": \"\\u00e9\\/\", \"big\": 1e400,\n"
				+ "  \"usage\": {\"output_tokens\": 7}\n}\n";
		AnthropicResponses.Echo echo = AnthropicResponses.message(bytes(pretty), "claude-x", TokenUsage.ZERO);
		assertThat(text(echo.json())).isEqualTo(pretty.replace("\"m\"", "\"claude-x\""));
		assertThat(echo.usage().outputTokens()).isEqualTo(7);
	}

	@Test
	void addsNoModelToAWholeMessageWithoutOne() {
		String message = "{\"type\":\"message\",\"usage\":{\"input_tokens\":3}}";
		AnthropicResponses.Echo echo = AnthropicResponses.message(bytes(message), "claude-x", TokenUsage.ZERO);
		assertThat(text(echo.json())).isEqualTo(message);
		assertThat(echo.usage().inputTokens()).isEqualTo(3);
	}

	@Test
	void passesOnWhatIsNotAnObjectAndRefusesWhatIsNotJson() {
		assertThat(AnthropicResponses.message(bytes("[1,2]"), "m", TokenUsage.ZERO)).isNull();
		assertThat(AnthropicResponses.message(new byte[0], "m", TokenUsage.ZERO)).isNull();
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> AnthropicResponses.message(bytes("{\"model\":"), "m", TokenUsage.ZERO));
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> AnthropicResponses.message(bytes("{} {}"), "m", TokenUsage.ZERO));
	}

	@Test
	void echoesTheModelOfMessageStartAndReadsItsUsage() {
		String start = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"model\":\"claude-sonnet-4-5\","
				+ "\"content\":[],\"usage\":{\"input_tokens\":42,\"output_tokens\":1}}}";
		AnthropicResponses.Echo echo = AnthropicResponses.messageStart(bytes(start), "claude-x", TokenUsage.ZERO);
		assertThat(text(echo.json())).isEqualTo(start.replace("claude-sonnet-4-5", "claude-x"));
		assertThat(echo.usage()).isEqualTo(new TokenUsage(42, 1, 0, 0, 0, 0));
	}

	@Test
	void addsTheModelToMessageStartWhenItHasNone() {
		assertThat(text(
				AnthropicResponses.messageStart(bytes("{\"message\":{\"id\":\"m1\"}}"), "claude-x", TokenUsage.ZERO)
					.json()))
			.isEqualTo("{\"message\":{\"id\":\"m1\",\"model\":\"claude-x\"}}");
		assertThat(text(AnthropicResponses.messageStart(bytes("{\"message\":{}}"), "claude-x", TokenUsage.ZERO).json()))
			.isEqualTo("{\"message\":{\"model\":\"claude-x\"}}");
		assertThat(AnthropicResponses.messageStart(bytes("{\"message\":[]}"), "claude-x", TokenUsage.ZERO)).isNull();
		assertThat(AnthropicResponses.messageStart(bytes("{\"type\":\"message_start\"}"), "claude-x", TokenUsage.ZERO))
			.isNull();
	}

	@Test
	void readsTheCumulativeUsageOfMessageDelta() {
		TokenUsage start = new TokenUsage(25, 1, 100, 40, 60, 7);
		TokenUsage end = AnthropicResponses.messageDelta(
				"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}",
				start);
		assertThat(end).isEqualTo(new TokenUsage(25, 15, 100, 40, 60, 7));
		assertThat(AnthropicResponses.messageDelta("{\"type\":\"message_delta\"}", start)).isEqualTo(start);
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> AnthropicResponses.messageDelta("{\"usage\":", start));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
