package io.tollgate.routing.usage;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicUsageTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void messageDeltaTotalsOverwriteWhatMessageStartSaid() {
		TokenUsage start = AnthropicUsage.merge(this.json.readTree("""
				{"input_tokens":25,"output_tokens":1,"cache_creation_input_tokens":100,"cache_read_input_tokens":7,
				 "cache_creation":{"ephemeral_5m_input_tokens":40,"ephemeral_1h_input_tokens":60}}"""),
				TokenUsage.ZERO);
		TokenUsage end = AnthropicUsage.merge(this.json.readTree("{\"output_tokens\":15}"), start);
		assertThat(end).isEqualTo(new TokenUsage(25, 15, 100, 40, 60, 7));
	}

	@Test
	void cacheWritesWithoutBreakdownCountAsFiveMinuteWrites() {
		TokenUsage usage = AnthropicUsage
			.merge(this.json.readTree("{\"input_tokens\":1,\"cache_creation_input_tokens\":30}"), TokenUsage.ZERO);
		assertThat(usage.cacheCreation5mOrAll()).isEqualTo(30);
	}

}
