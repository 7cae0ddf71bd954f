package io.tollgate.routing.intent;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IntentOptionsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void isOffUnlessAskedFor() {
		assertThat(IntentOptions.of(null).needsRouter()).isFalse();
		assertThat(IntentOptions.of(json("{\"zdr\":true}")).needsRouter()).isFalse();
		assertThat(IntentOptions.of(json("{\"chatHistoryCompression\":{\"enabled\":false}}")).optimisesContext())
			.isFalse();
	}

	@Test
	void readsTagsScoresAndOptimisations() {
		IntentOptions options = IntentOptions.of(json("""
				{"tags":[{"name":"code","description":"programming","models":["opus","sonnet","haiku"]}],
				 "planningTriggerScore":0.7,
				 "chatHistoryCompression":{"enabled":true,"score":0.4},
				 "toolOptimization":{"enabled":true,"acceptScore":0.2,"alwaysInclude":["Bash"]},
				 "mediaOptimization":true}"""));
		assertThat(options.tags()).containsExactly(new Tag("code", "programming", List.of("opus", "sonnet", "haiku")));
		assertThat(options.planningTriggerScore()).isEqualTo(0.7);
		assertThat(options.history().score()).isEqualTo(0.4);
		assertThat(options.tools().acceptScore()).isEqualTo(0.2);
		assertThat(options.tools().alwaysInclude()).containsExactly("Bash");
		assertThat(options.media()).isTrue();
		assertThat(options.needsRouter()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"tags\":{}}|gateway.tags: Input should be a valid list",
			"{\"tags\":[{\"name\":\"x\"}]}|gateway.tags.0.models: at least one model is required",
			"{\"tags\":[{\"models\":[\"m\"]}]}|gateway.tags.0.name: Field required",
			"{\"tags\":[{\"name\":\"x\",\"models\":[\"m\"]},{\"name\":\"x\",\"models\":[\"m\"]}]}|gateway.tags.1.name: tag 'x' is named twice",
			"{\"planningTriggerScore\":1.5}|gateway.planningTriggerScore: Input should be a number from 0 to 1",
			"{\"chatHistoryCompression\":{\"score\":\"high\"}}|gateway.chatHistoryCompression.score: Input should be a number from 0 to 1",
			"{\"toolOptimization\":{\"alwaysInclude\":\"Bash\"}}|gateway.toolOptimization.alwaysInclude: Input should be a valid list",
			"{\"mediaOptimization\":{\"enabled\":\"yes\"}}|gateway.mediaOptimization.enabled: Input should be a valid boolean" })
	void namesTheFieldThatIsWrong(String gateway, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> IntentOptions.of(json(gateway))).withMessage(message);
	}

	@Test
	void picksTheStrongestModelForHardRequestsAndTheWeakestForEasyOnes() {
		Tag tag = new Tag("code", "", List.of("opus", "sonnet", "haiku"));
		assertThat(tag.modelFor(1)).isEqualTo("opus");
		assertThat(tag.modelFor(0.9)).isEqualTo("opus");
		assertThat(tag.modelFor(0.5)).isEqualTo("sonnet");
		assertThat(tag.modelFor(0)).isEqualTo("haiku");
		assertThat(tag.modelFor(-3)).isEqualTo("haiku");
		assertThat(new Tag("one", "", List.of("only")).modelFor(0.2)).isEqualTo("only");
	}

	@Test
	void readsPlannedModelNames() {
		assertThat(PlannedModel.parse("claude-sonnet-4-5:planning:claude-opus-4-1"))
			.isEqualTo(new PlannedModel("claude-sonnet-4-5", "claude-opus-4-1"));
		assertThat(PlannedModel.parse("claude-sonnet-4-5")).isNull();
		assertThat(PlannedModel.parse(":planning:x")).isNull();
		assertThat(PlannedModel.parse("x:planning:")).isNull();
	}

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

}
