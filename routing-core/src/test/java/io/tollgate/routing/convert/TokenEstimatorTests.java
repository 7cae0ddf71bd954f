package io.tollgate.routing.convert;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** C102: a local estimate that grows with everything that is sent. */
class TokenEstimatorTests {

	private final TokenEstimator estimator = new TokenEstimator();

	@Test
	void countsAtLeastOneTokenForAnyNonEmptyRequest() {
		assertThat(this.estimator.estimateInputTokens(json("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}")))
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void countsNothingForARequestWithoutContent() {
		assertThat(this.estimator.estimateInputTokens(json("{\"model\":\"m\"}"))).isZero();
	}

	@Test
	void countsTextRoughlyLikeTheTokenizer() {
		int tokens = this.estimator.estimateInputTokens(
				json("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello world, how are you today?\"}]}"));
		assertThat(tokens).isBetween(8, 14);
	}

	@Test
	void includesSystemPromptAndToolSchemas() {
		String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
		int bare = this.estimator.estimateInputTokens(json("{" + messages + "}"));
		int withSystem = this.estimator.estimateInputTokens(
				json("{\"system\":[{\"type\":\"text\",\"text\":\"You are a careful assistant.\"}]," + messages + "}"));
		int withTools = this.estimator
			.estimateInputTokens(json("{" + messages + ",\"tools\":[{\"name\":\"get_weather\","
					+ "\"description\":\"Weather for a city\",\"input_schema\":{\"type\":\"object\","
					+ "\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"City name\"}}}}]}"));
		assertThat(withSystem).isGreaterThan(bare + 4);
		assertThat(withTools).isGreaterThan(bare + 15);
	}

	@Test
	void countsToolUseInputsToolResultsAndAFixedAmountPerImage() {
		String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
				+ "A".repeat(100_000) + "\"}}";
		int tokens = this.estimator.estimateInputTokens(json("{\"messages\":["
				+ "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"read\","
				+ "\"input\":{\"path\":\"/etc/hosts\"}}]},"
				+ "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":["
				+ "{\"type\":\"text\",\"text\":\"127.0.0.1 localhost\"}," + image + "]}]}]}"));
		assertThat(tokens).isBetween(TokenEstimator.IMAGE_TOKENS + 10, TokenEstimator.IMAGE_TOKENS + 40);
	}

	private static JsonNode json(String text) {
		return Json.MAPPER.readTree(text);
	}

}
