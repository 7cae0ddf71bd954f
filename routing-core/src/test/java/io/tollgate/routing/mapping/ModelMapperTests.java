package io.tollgate.routing.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelMapperTests {

	private final ModelMapper mapper = ModelMapper.of(new LinkedHashMap<>(Map.of("claude-*", "claude-sonnet-4-5",
			"claude-haiku-*", "anthropic/claude-haiku-*", "claude-opus-4-1", "claude-opus-4-1-20250805")));

	@Test
	void exactRuleWinsOverGlobs() {
		assertThat(this.mapper.map("claude-opus-4-1")).contains("claude-opus-4-1-20250805");
	}

	@Test
	void longestGlobWinsAndCarriesOverTheMatchedPart() {
		assertThat(this.mapper.map("claude-haiku-4-5")).contains("anthropic/claude-haiku-4-5");
		assertThat(this.mapper.map("claude-3-7-sonnet")).contains("claude-sonnet-4-5");
	}

	@Test
	void unmatchedModelIsNotServed() {
		assertThat(this.mapper.map("gpt-4o")).isEmpty();
	}

	@Test
	void noRulesPassEveryModelThrough() {
		assertThat(ModelMapper.of(Map.of()).map("anything")).contains("anything");
	}

}
