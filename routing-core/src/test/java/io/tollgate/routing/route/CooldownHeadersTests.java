package io.tollgate.routing.route;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CooldownHeadersTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void readsRetryAfterInSecondsOrAsAnHttpDate() {
		assertThat(CooldownHeaders.wait(Map.of("retry-after", "7"), NOW)).contains(Duration.ofSeconds(7));
		assertThat(CooldownHeaders.wait(Map.of("retry-after", "0.5"), NOW)).contains(Duration.ofMillis(500));
		assertThat(CooldownHeaders.wait(Map.of("retry-after", "Thu, 01 Jan 2026 00:00:30 GMT"), NOW))
			.contains(Duration.ofSeconds(30));
	}

	@Test
	void prefersRetryAfterToResetHeaders() {
		assertThat(CooldownHeaders
			.wait(Map.of("retry-after", "3", "anthropic-ratelimit-requests-reset", "2026-01-01T00:01:00Z"), NOW))
			.contains(Duration.ofSeconds(3));
	}

	@Test
	void takesTheResetOfTheAnthropicLimitThatIsUsedUp() {
		Map<String, String> headers = Map.of("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:05Z",
				"anthropic-ratelimit-requests-remaining", "12", "anthropic-ratelimit-input-tokens-reset",
				"2026-01-01T00:00:40Z", "anthropic-ratelimit-input-tokens-remaining", "0");
		assertThat(CooldownHeaders.wait(headers, NOW)).contains(Duration.ofSeconds(40));
	}

	@Test
	void takesTheEarliestAnthropicResetWhenNoLimitSaysItIsUsedUp() {
		Map<String, String> headers = Map.of("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:05Z",
				"anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:40Z");
		assertThat(CooldownHeaders.wait(headers, NOW)).contains(Duration.ofSeconds(5));
	}

	@Test
	void readsOpenAiResetDurations() {
		assertThat(CooldownHeaders
			.wait(Map.of("x-ratelimit-reset-requests", "1m30.5s", "x-ratelimit-reset-tokens", "6m0s"), NOW))
			.contains(Duration.ofMillis(90_500));
		assertThat(CooldownHeaders.goDuration("120ms")).isEqualTo(Duration.ofMillis(120));
		assertThat(CooldownHeaders.goDuration("1h")).isEqualTo(Duration.ofHours(1));
		assertThat(CooldownHeaders.goDuration("soon")).isNull();
	}

	@Test
	void namesNoWaitWithoutUsableHeaders() {
		assertThat(CooldownHeaders.wait(Map.of("retry-after", "later"), NOW)).isEmpty();
		assertThat(CooldownHeaders.wait(Map.of(), NOW)).isEmpty();
		assertThat(CooldownHeaders.wait(Map.of("retry-after", "-3"), NOW)).isEmpty();
	}

	@Test
	void neverAsksForANegativeWait() {
		assertThat(CooldownHeaders.wait(Map.of("anthropic-ratelimit-requests-reset", "2025-12-31T23:59:00Z"), NOW))
			.contains(Duration.ZERO);
	}

}
