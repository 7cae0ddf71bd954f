package io.tollgate.billing.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

	private static final byte[] BODY = "{\"type\":\"test\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void signsTimestampDotBodyWithHmacSha256() {
		// printf '1700000000.{"type":"test"}' | openssl dgst -sha256 -hmac
		// 'whsec_test-secret'
		assertThat(WebhookSignature.sign("whsec_test-secret", 1700000000L, BODY))
			.isEqualTo("2064a86851fb8b5051a9a0580efdd80678748f0c2660bfdb1cd282a184cc2852");
	}

	@Test
	void headerCarriesOneSignaturePerActiveSecretNewestFirst() {
		String header = WebhookSignature.header(List.of("whsec_new", "whsec_test-secret"), 1700000000L, BODY);
		assertThat(header).isEqualTo("v1=" + WebhookSignature.sign("whsec_new", 1700000000L, BODY)
				+ ",v1=2064a86851fb8b5051a9a0580efdd80678748f0c2660bfdb1cd282a184cc2852");
	}

	@Test
	void aDifferentTimestampOrBodyChangesTheSignature() {
		String signature = WebhookSignature.sign("whsec_test-secret", 1700000000L, BODY);
		assertThat(WebhookSignature.sign("whsec_test-secret", 1700000001L, BODY)).isNotEqualTo(signature);
		assertThat(WebhookSignature.sign("whsec_test-secret", 1700000000L, "{}".getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(signature);
	}

	@Test
	void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
		AlertProperties properties = new AlertProperties(true, Duration.ofSeconds(2), Duration.ofMinutes(1), 20, 8,
				Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMinutes(2),
				Duration.ofHours(24));
		assertThat(List.of(1, 2, 3, 4, 5).stream().map(properties::backoff)).containsExactly(Duration.ofSeconds(10),
				Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(60), Duration.ofSeconds(60));
	}

}
