package io.tollgate.gateway.usage;

import java.math.BigDecimal;
import java.time.Duration;

import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/usage}: an inference key reads its tenant's balance and its own spend,
 * in Anthropic's error envelope when the key is wrong, and learns nothing of other keys.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class KeyUsageGatewayTests {

	static final FakeUpstream fake = FakeUpstream.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

	@LocalServerPort
	int port;

	WebTestClient http;

	@BeforeEach
	void connect() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void aKeySeesItsTenantsBalanceAndItsOwnSpendOnly() {
		JsonNode before = usage(GatewayTestSupport.FAILOVER_KEY);
		assertThat(before.get("type").asString()).isEqualTo("usage");
		assertThat(before.get("tenant").asString()).isEqualTo("acme");
		assertThat(before.get("key").get("name").asString()).isEqualTo("failover");
		BigDecimal balance = new BigDecimal(before.get("balance").asString());
		BigDecimal spent = new BigDecimal(before.get("key").get("spent").asString());
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.FAILOVER_KEY)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"model":"claude-x","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}""")
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode after = usage(GatewayTestSupport.FAILOVER_KEY);
			BigDecimal keySpent = new BigDecimal(after.get("key").get("spent").asString());
			assertThat(keySpent).isGreaterThan(spent);
			assertThat(new BigDecimal(after.get("balance").asString()))
				.isEqualByComparingTo(balance.subtract(keySpent.subtract(spent)));
		});
		JsonNode other = usage(GatewayTestSupport.KEY);
		assertThat(other.get("key").get("name").asString()).isEqualTo("e2e");
		assertThat(new BigDecimal(other.get("key").get("spent").asString())).isZero();
		assertThat(other.toString()).doesNotContain("failover");
	}

	@Test
	void aWrongKeyGetsTheAnthropicErrorEnvelope() {
		this.http.get()
			.uri("/v1/usage")
			.header("x-api-key", "tg-not-a-key")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.exists("request-id")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("authentication_error");
	}

	private JsonNode usage(String key) {
		String body = this.http.get()
			.uri("/v1/usage")
			.header("x-api-key", key)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JsonMapper.builder().build().readTree(body);
	}

}
