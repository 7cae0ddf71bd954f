package io.tollgate.gateway.observability;

import java.math.BigDecimal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.billing.price.TokenCounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTests {

	private static final FinishedRequest REQUEST = new FinishedRequest("req_abc", "messages", "4bf92f35", "req_up",
			"acme \"corp\"", "tg-abcd", "laptop", "claude", "claude-x", "claude-sonnet-4-5", "account-a", "anthropic",
			true, 200, "ok", null, null, 2, new TokenCounts(10, 20, 3, 4, 5), false, new BigDecimal("0.0012000000"),
			new BigDecimal("0.0024"), 1_500_000_000L, 250_000_000L, new byte[] { 10, 0, 0, 7 });

	@Test
	void writesLogfmtLikeTextByDefault() {
		String line = accessLog("text").format(REQUEST);
		assertThat(line).startsWith("request_id=req_abc trace_id=4bf92f35 upstream_request_id=req_up")
			.contains(" tenant=\"acme \\\"corp\\\"\" key_prefix=tg-abcd ")
			.contains(" stream=true attempts=2 status=200 outcome=ok input_tokens=10 output_tokens=20"
					+ " cache_write_5m_tokens=3 cache_write_1h_tokens=4 cache_read_tokens=5 list_cost=0.0012"
					+ " charged_cost=0.0024 latency_ms=1500 ttft_ms=250 client=10.0.0.7")
			.doesNotContain("error_type", "refusal");
	}

	@Test
	void writesOneJsonObjectWhenConfigured() {
		JsonNode json = JsonMapper.builder().build().readTree(accessLog("json").format(REQUEST));
		assertThat(json.get("tenant").asString()).isEqualTo("acme \"corp\"");
		assertThat(json.get("attempts").asInt()).isEqualTo(2);
		assertThat(json.get("charged_cost").decimalValue()).isEqualByComparingTo("0.0024");
		assertThat(json.get("client").asString()).isEqualTo("10.0.0.7");
		assertThat(json.has("error_type")).isFalse();
	}

	private static AccessLog accessLog(String format) {
		return new AccessLog(new ObservabilityProperties.AccessLog(true, format, 16), new SimpleMeterRegistry());
	}

}
