package io.tollgate.billing.directory;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntentSettingsTests {

	@Test
	void aRouterModelIsServedWhenAMemberServesWhatTheGroupMapsItTo() {
		assertThatCode(() -> IntentSettings.checkRouterModel("claude-haiku-4-5", Map.of(),
				List.of(List.of("gpt-*"), List.of("claude-haiku-*"))))
			.doesNotThrowAnyException();
		assertThatCode(() -> IntentSettings.checkRouterModel("cheap", Map.of("cheap", "gpt-4o-mini"),
				List.of(List.of("gpt-4o-mini"))))
			.doesNotThrowAnyException();
		assertThatCode(() -> IntentSettings.checkRouterModel("claude-haiku-4-5",
				Map.of("claude-*", "anthropic/claude-*", "claude-haiku-*", "haiku/claude-haiku-*"),
				List.of(List.of("haiku/claude-haiku-4-5"))))
			.as("the longest glob wins and carries the match")
			.doesNotThrowAnyException();
		assertThatCode(() -> IntentSettings.checkRouterModel("anything", Map.of(), List.of(List.of())))
			.as("an account without a model list serves any model")
			.doesNotThrowAnyException();
	}

	@Test
	void aRouterModelNoMemberServesIsRefused() {
		assertThatThrownBy(
				() -> IntentSettings.checkRouterModel("claude-opus-4-1", Map.of(), List.of(List.of("claude-haiku-*"))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("claude-opus-4-1");
		assertThatThrownBy(() -> IntentSettings.checkRouterModel("claude-haiku-4-5", Map.of(), List.of()))
			.as("no members")
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> IntentSettings.checkRouterModel("gpt-router", Map.of("claude-*", "gpt-4o-mini"),
				List.of(List.of())))
			.as("the group's mapping does not map it")
			.hasMessageContaining("not mapped");
	}

	@Test
	void groupDefaultsNameOnlyOptionsAGroupCanTurnOn() {
		assertThatCode(() -> IntentSettings.checkDefaults(Map.of("planningTriggerScore", 0.5, "mediaOptimization", true,
				"toolOptimization", Map.of("acceptScore", 0.3, "alwaysInclude", List.of("Read")),
				"chatHistoryCompression", Map.of("enabled", false))))
			.doesNotThrowAnyException();
		assertThatThrownBy(() -> IntentSettings.checkDefaults(Map.of("tags", List.of())))
			.hasMessageContaining("unknown option tags");
		assertThatThrownBy(() -> IntentSettings.checkDefaults(Map.of("planningTriggerScore", 2)))
			.hasMessageContaining("from 0 to 1");
		assertThatThrownBy(
				() -> IntentSettings.checkDefaults(Map.of("chatHistoryCompression", Map.of("score", "high"))))
			.hasMessageContaining("chatHistoryCompression.score");
		assertThatThrownBy(() -> IntentSettings.checkDefaults(Map.of("mediaOptimization", "yes")))
			.hasMessageContaining("mediaOptimization");
	}

}
