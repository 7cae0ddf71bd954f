package io.tollgate.gateway.messages;

import io.tollgate.routing.convert.TokenEstimator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamedOutputTests {

	private static String textDelta(String text) {
		return "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text
				+ "\"}}";
	}

	@Test
	void estimatesAllTheTextOfALongStreamWhileKeepingLittleOfItsJson() {
		StreamedOutput output = new StreamedOutput();
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 1000; i++) {
			String piece = " word" + i;
			output.delta(textDelta(piece));
			expected.append(piece);
			assertThat(output.pendingJsonLength()).isLessThan(StreamedOutput.COMPACT_AT * textDelta(piece).length());
		}
		output.delta(
				"{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" hmm\"}}");
		output.delta(
				"{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":1}\"}}");
		output.delta(
				"{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"xyz\"}}");
		expected.append(" hmm").append("{\"a\":1}");
		assertThat(output.delivered()).isTrue();
		assertThat(output.estimateTokens()).isEqualTo(new TokenEstimator().countText(expected.toString()));
	}

	@Test
	void readsTheTextOfADeltaWhateverSurroundsIt() {
		StreamedOutput output = new StreamedOutput();
		output.delta("{\"extra\":{\"a\":[1,{\"text\":\"no\"}]},\"type\":\"content_block_delta\",\"index\":0,"
				+ "\"delta\":{\"meta\":{\"text\":\"no\"},\"text\":\"caf\\u00e9\\n\",\"n\":[1],\"type\":\"text_delta\"}}");
		output.delta("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"thinking\":\"no\"}}");
		assertThat(output.estimateTokens()).isEqualTo(new TokenEstimator().countText("caf\u00e9\n"));
	}

	@Test
	void readsDeltasGivenAsBytesLikeThoseGivenAsText() {
		StreamedOutput fromBytes = new StreamedOutput();
		StreamedOutput fromText = new StreamedOutput();
		for (int i = 0; i < 200; i++) {
			String delta = textDelta(" caf\u00e9 \\u00e9 \ud83d\ude42 " + i);
			fromBytes.delta(delta.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			fromText.delta(delta);
		}
		assertThat(fromBytes.delivered()).isTrue();
		assertThat(fromBytes.estimateTokens()).isEqualTo(fromText.estimateTokens()).isPositive();
		fromBytes.delta((byte[]) null);
		assertThat(new StreamedOutput()).satisfies((empty) -> {
			empty.delta((byte[]) null);
			assertThat(empty.delivered()).isFalse();
		});
	}

	@Test
	void nothingDeliveredEstimatesNothing() {
		StreamedOutput output = new StreamedOutput();
		output.delta((String) null);
		assertThat(output.delivered()).isFalse();
		assertThat(output.estimateTokens()).isZero();
	}

}
