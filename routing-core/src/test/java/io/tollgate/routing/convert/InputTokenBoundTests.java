package io.tollgate.routing.convert;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class InputTokenBoundTests {

	private final InputTokenBound bound = new InputTokenBound();

	@Test
	void boundsTextByTheTokenizerNotByTheBytes() {
		String text = "The quick brown fox jumps over the lazy dog. ".repeat(2000);
		String body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"" + text
				+ "\"}]}";
		long counted = new TokenEstimator().estimateInputTokens(json(body));
		long bound = this.bound.of(json(body));
		assertThat(bound).isGreaterThan(counted).isLessThanOrEqualTo(counted * 5 / 4 + 1 + 1024);
		assertThat(bound).as("well below one token per two bytes").isLessThan(body.length() / 3);
	}

	@Test
	void boundsBase64DocumentsByTheirSize() {
		String data = "A".repeat(400_000);
		String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"base64\","
				+ "\"media_type\":\"application/pdf\",\"data\":\"" + data + "\"}}]}]}";
		assertThat(this.bound.of(json(body))).isGreaterThanOrEqualTo(200_000);
	}

	private static JsonNode json(String text) {
		return Json.MAPPER.readTree(text);
	}

}
