package io.tollgate.gateway.observability;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelPolicyTests {

	@Test
	void reportsValuesBeyondTheCapAsOther() {
		LabelPolicy labels = new LabelPolicy(List.of("requested_model"), 2);
		assertThat(labels.bound(Label.REQUESTED_MODEL, "a")).isEqualTo("a");
		assertThat(labels.bound(Label.REQUESTED_MODEL, "b")).isEqualTo("b");
		assertThat(labels.bound(Label.REQUESTED_MODEL, "c")).isEqualTo(LabelPolicy.OTHER);
		assertThat(labels.bound(Label.REQUESTED_MODEL, "a")).isEqualTo("a");
	}

	@Test
	void leavesOutLabelsNotAllowedAndCutsLongValues() {
		LabelPolicy labels = new LabelPolicy(List.of("tenant"), 10);
		assertThat(labels.bound(Label.ACCOUNT, "account-a")).isNull();
		assertThat(labels.bound(Label.TENANT, null)).isEqualTo(LabelPolicy.NONE);
		assertThat(labels.bound(Label.TENANT, "x".repeat(500))).hasSize(LabelPolicy.MAX_LENGTH);
	}

	@Test
	void refusesUnknownLabelNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelPolicy(List.of("prompt"), 10));
	}

	@Test
	void boundsTheSeriesOfAMeterWhateverTheRequestsSay() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		RequestMetrics metrics = new RequestMetrics(registry, new LabelPolicy(List.of("tenant", "requested_model"), 3));
		for (int i = 0; i < 50; i++) {
			metrics.record(request("model-" + i));
		}
		assertThat(registry.find("tollgate.requests").counters()).hasSize(4).anySatisfy((counter) -> {
			assertThat(counter.getId().getTag("requested_model")).isEqualTo(LabelPolicy.OTHER);
			assertThat(counter.count()).isEqualTo(47);
		}).allSatisfy((counter) -> assertThat(counter.getId().getTag("account")).isNull());
	}

	private static FinishedRequest request(String model) {
		return new FinishedRequest("req_1", "messages", null, null, "acme", "tg-abc", "laptop", "claude", model,
				"claude-sonnet-4-5", "account-a", "anthropic", false, 200, "ok", null, null, 1, null, false, null, null,
				1_000_000, -1, null);
	}

}
