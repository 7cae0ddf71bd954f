package io.tollgate.routing.convert;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpenAiQuirksTests {

	@Test
	void defaultsDescribeOpenAiItself() {
		OpenAiQuirks quirks = OpenAiQuirks.defaults();
		assertThat(quirks.maxTokensField()).isEqualTo("max_tokens");
		assertThat(quirks.acceptsTopK()).isFalse();
		assertThat(quirks.acceptsCacheControl()).isFalse();
		assertThat(quirks.reasoningField()).isEqualTo(OpenAiQuirks.ReasoningField.NONE);
		assertThat(quirks.systemAsString()).isFalse();
		assertThat(quirks.maxStopSequences()).isEqualTo(4);
		assertThat(quirks.acceptsParallelToolCalls()).isTrue();
		assertThat(quirks.streamIncludeUsage()).isTrue();
		assertThat(quirks.acceptsReasoningEffort()).isTrue();
	}

	@Test
	void readsKebabCaseSettingsOfAnyScalarType() {
		OpenAiQuirks quirks = OpenAiQuirks.fromSettings(Map.of("max-tokens-field", "max_completion_tokens",
				"accepts-top-k", "true", "accepts-cache-control", true, "reasoning-field", "Reasoning_Content",
				"system-as-string", "TRUE", "max-stop-sequences", "16", "accepts-parallel-tool-calls", false,
				"stream-include-usage", "false", "accepts-reasoning-effort", false));
		assertThat(quirks).isEqualTo(new OpenAiQuirks("max_completion_tokens", true, true,
				OpenAiQuirks.ReasoningField.REASONING_CONTENT, true, 16, false, false, false));
	}

	@Test
	void ignoresSettingsThatAreNotQuirks() {
		assertThat(OpenAiQuirks.fromSettings(Map.of("base-url", "https://x", "weight", 3)))
			.isEqualTo(OpenAiQuirks.defaults());
	}

	@Test
	void rejectsInvalidValuesNamingTheKey() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenAiQuirks.fromSettings(Map.of("max-tokens-field", "maxTokens")))
			.withMessageStartingWith("max-tokens-field:");
		assertThatIllegalArgumentException().isThrownBy(() -> OpenAiQuirks.fromSettings(Map.of("accepts-top-k", "yes")))
			.withMessageStartingWith("accepts-top-k:");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenAiQuirks.fromSettings(Map.of("max-stop-sequences", "many")))
			.withMessageStartingWith("max-stop-sequences:");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OpenAiQuirks.fromSettings(Map.of("reasoning-field", "thoughts")))
			.withMessageStartingWith("reasoning-field:");
	}

}
