package io.tollgate.gateway.forward;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFeatureMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RequestFeatureMetrics metrics = new RequestFeatureMetrics(this.registry);

	@Test
	void namesOnlyKnownDroppedFieldsAndCountsTheRestAsOther() {
		var request = JsonMapper.builder()
			.build()
			.readTree("{\"model\":\"m\",\"messages\":[],\"max_tokens\":1,\"context_management\":{},"
					+ "\"top_k\":5,\"gateway\":{},\"x-one\":1,\"x-two\":2}");
		assertThat(this.metrics.dropped(request, false)).containsExactly("context_management", "top_k", "x-one",
				"x-two");
		assertThat(this.metrics.dropped(request, true)).containsExactly("context_management", "x-one", "x-two");
		assertThat(this.registry.find("tollgate.requests.dropped_field").tag("field", "other").counter().count())
			.isEqualTo(4.0);
		assertThat(this.registry.find("tollgate.requests.dropped_field").counters())
			.extracting((counter) -> counter.getId().getTag("field"))
			.containsExactlyInAnyOrder("context_management", "top_k", "other");
	}

}
