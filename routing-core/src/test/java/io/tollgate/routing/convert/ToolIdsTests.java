package io.tollgate.routing.convert;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool-use ids of converted answers: unique across the answers of a conversation when the
 * upstream numbers its calls per response, and mapped back to the upstream's own id when
 * the client sends them back (C66).
 */
class ToolIdsTests {

	private static final String KIMI_ID = "functions.Bash:0";

	@Test
	void idsOfTwoAnswersDifferEvenWhenTheUpstreamRepeatsItsIds() {
		ConversionContext first = ConversionContext.of("claude-sonnet-4-5", new MessageIds().get(), true);
		ConversionContext second = ConversionContext.of("claude-sonnet-4-5", new MessageIds().get(), true);
		String a = ToolIds.of(KIMI_ID, first, 0);
		String b = ToolIds.of(KIMI_ID, second, 0);
		assertThat(a).isNotEqualTo(b).matches("^toolu_[a-zA-Z0-9_-]+$");
		assertThat(b).matches("^toolu_[a-zA-Z0-9_-]+$");
		assertThat(ToolIds.of(KIMI_ID, first, 0)).as("stable within one answer").isEqualTo(a);
	}

	@Test
	void callsOfOneAnswerGetDistinctIdsEvenWithTheSameUpstreamId() {
		ConversionContext context = ConversionContext.of("claude-sonnet-4-5", "msg_01abc", false);
		assertThat(List.of(ToolIds.of("call_1", context, 0), ToolIds.of("call_1", context, 1),
				ToolIds.of(null, context, 2)))
			.doesNotHaveDuplicates();
	}

	@ParameterizedTest
	@ValueSource(strings = { KIMI_ID, "call_9f8e7d", "tool:ünïcode/ids?", "_" })
	void theUpstreamIdComesBackFromTheClientId(String upstreamId) {
		ConversionContext context = ConversionContext.of("claude-sonnet-4-5", new MessageIds().get(), true);
		assertThat(ToolIds.upstream(ToolIds.of(upstreamId, context, 3))).isEqualTo(upstreamId);
	}

	@ParameterizedTest
	@ValueSource(strings = { "toolu_01A09q90qw90lq917835lq9", "toolu_abc_d", "toolu_a_b_c", "call_1", "toolu_x_",
			"functions.Bash:0", "toolu_testt1" })
	void idsTollgateDidNotMakeGoBackUnchanged(String clientId) {
		assertThat(ToolIds.upstream(clientId)).isEqualTo(clientId);
	}

}
