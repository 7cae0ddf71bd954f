package io.tollgate.gateway.forward;

import java.time.Duration;
import java.util.Map;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Anthropic passthrough as clients see it, end to end against the fake upstream: the
 * headers that travel each way, upstream errors that are not JSON, answers that are
 * garbage, account rejections, and rate limits across a group.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.gateway.first-byte-timeout=5s", "tollgate.routing.health-refresh=100ms" })
class PassthroughEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BODY = "{\"model\":\"claude-x\",\"max_tokens\":16,%s\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	private static final String PLAIN = BODY.formatted("");

	private static final String STREAMING = BODY.formatted("\"stream\":true,");

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	@Autowired
	Directory directory;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

	@BeforeEach
	void connect() {
		fake.reset();
		GatewayTestSupport.resetHealth(this.health);
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
	void forwardsClaudeCodesHeadersAndQueryButNeverCredentialsOrHopByHopHeaders() {
		this.http.post()
			.uri("/v1/messages?beta=true")
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("authorization", "Bearer " + GatewayTestSupport.KEY)
			.header("anthropic-version", "2023-06-01")
			.header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
			.header("anthropic-dangerous-direct-browser-access", "true")
			.header("x-app", "cli")
			.header("x-claude-code-session-id", "5f0e4b1c-session")
			.header("x-stainless-lang", "js")
			.header("x-stainless-retry-count", "0")
			.header("x-stainless-timeout", "600")
			.header("user-agent", "claude-cli/2.1.14 (external, cli)")
			.header("cookie", "session=tenant-secret")
			.header("proxy-authorization", "Basic dGVuYW50")
			.header("x-forwarded-for", "10.1.2.3")
			.header("x-custom-tenant-header", "nope")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(PLAIN)
			.exchange()
			.expectStatus()
			.isOk();
		RecordedRequest upstream = fake.lastRequest();
		assertThat(upstream.uri()).isEqualTo("/v1/messages?beta=true");
		assertThat(upstream.header("x-app")).isEqualTo("cli");
		assertThat(upstream.header("x-claude-code-session-id")).isEqualTo("5f0e4b1c-session");
		assertThat(upstream.header("x-stainless-lang")).isEqualTo("js");
		assertThat(upstream.header("x-stainless-retry-count")).isEqualTo("0");
		assertThat(upstream.header("x-stainless-timeout")).isEqualTo("600");
		assertThat(upstream.header("anthropic-dangerous-direct-browser-access")).isEqualTo("true");
		assertThat(upstream.headerValues("anthropic-version")).containsExactly("2023-06-01");
		assertThat(upstream.header("anthropic-beta")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
		assertThat(upstream.header("user-agent")).isEqualTo("claude-cli/2.1.14 (external, cli)");
		assertThat(upstream.credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_A);
		assertThat(upstream.headerValues("x-api-key")).containsExactly(GatewayTestSupport.CREDENTIAL_A);
		assertThat(upstream.headers()).doesNotContainKeys("authorization", "cookie", "proxy-authorization",
				"x-forwarded-for", "x-custom-tenant-header");
	}

	@Test
	void defaultsTheVersionAndForwardsTheQueryOfCountTokensToo() {
		this.http.post()
			.uri("/v1/messages/count_tokens?beta=true")
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("x-app", "cli")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}")
			.exchange()
			.expectStatus()
			.isOk();
		RecordedRequest upstream = fake.lastRequest();
		assertThat(upstream.uri()).isEqualTo("/v1/messages/count_tokens?beta=true");
		assertThat(upstream.headerValues("anthropic-version")).containsExactly("2023-06-01");
		assertThat(upstream.header("x-app")).isEqualTo("cli");
	}

	@Test
	void passesRateLimitAndRetryHeadersBackAndRecordsTheUpstreamRequestId() {
		Map<String, String> limits = Map.of("anthropic-ratelimit-requests-limit", "50",
				"anthropic-ratelimit-requests-remaining", "49", "anthropic-ratelimit-tokens-reset",
				"2026-01-01T00:00:00Z", "request-id", "req_upstream_0001", "x-internal-upstream", "hidden");
		fake.script(GatewayTestSupport.CREDENTIAL_A).normal().withHeaders(limits).times(2);
		for (String body : new String[] { PLAIN, STREAMING }) {
			EntityExchangeResult<byte[]> result = post(GatewayTestSupport.KEY, body).expectStatus()
				.isOk()
				.expectBody()
				.returnResult();
			HttpHeaders headers = result.getResponseHeaders();
			assertThat(headers.getFirst("anthropic-ratelimit-requests-limit")).isEqualTo("50");
			assertThat(headers.getFirst("anthropic-ratelimit-requests-remaining")).isEqualTo("49");
			assertThat(headers.getFirst("anthropic-ratelimit-tokens-reset")).isEqualTo("2026-01-01T00:00:00Z");
			assertThat(headers.get("x-internal-upstream")).isNull();
			String requestId = headers.getFirst("request-id");
			assertThat(requestId).startsWith("req_").isNotEqualTo("req_upstream_0001");
			Map<String, Object> usage = awaitUsage(requestId);
			assertThat(usage.get("upstream_request_id")).isEqualTo("req_upstream_0001");
		}
	}

	@Test
	void passesAnAnthropicErrorOnWithTollgatesRequestIdInTheBodyAndTheHeader() {
		fake.script(GatewayTestSupport.CREDENTIAL_A)
			.error(400, "invalid_request_error", "messages.1.content.0: thinking blocks cannot be modified");
		EntityExchangeResult<byte[]> result = post(GatewayTestSupport.KEY, PLAIN).expectStatus()
			.isBadRequest()
			.expectBody()
			.returnResult();
		JsonNode body = JSON.readTree(result.getResponseBody());
		assertThat(body.path("error").path("message").asString())
			.isEqualTo("messages.1.content.0: thinking blocks cannot be modified");
		assertThat(body.path("request_id").asString()).isEqualTo(result.getResponseHeaders().getFirst("request-id"))
			.doesNotStartWith("req_fake");
		assertThat(result.getResponseHeaders().getFirst("x-should-retry")).isEqualTo("false");
	}

	@Test
	void answersAnHtml502FromAProxyAsAnAnthropicErrorStreamingOrNot() {
		fake.script(GatewayTestSupport.CREDENTIAL_A).htmlError(502).times(2);
		for (String body : new String[] { PLAIN, STREAMING }) {
			JsonNode error = expectEnvelope(post(GatewayTestSupport.KEY, body), 502);
			assertThat(error.path("error").path("type").asString()).isEqualTo("api_error");
			assertThat(error.path("error").path("message").asString()).contains("HTTP 502").doesNotContain("<html");
		}
	}

	@Test
	void answersAnEmpty503AsOverloadedWithItsRetryAdvice() {
		fake.script(GatewayTestSupport.CREDENTIAL_A).emptyError(503).withHeaders(Map.of("retry-after", "7"));
		EntityExchangeResult<byte[]> result = post(GatewayTestSupport.KEY, STREAMING).expectStatus()
			.isEqualTo(529)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueEquals("retry-after", "7")
			.expectBody()
			.returnResult();
		JsonNode error = JSON.readTree(result.getResponseBody());
		assertThat(error.path("error").path("type").asString()).isEqualTo("overloaded_error");
		assertThat(error.path("request_id").asString()).isEqualTo(result.getResponseHeaders().getFirst("request-id"));
	}

	@Test
	void answersAProxysHtml413AsRequestTooLargeThatIsNotRetried() {
		fake.script(GatewayTestSupport.CREDENTIAL_A)
			.respond(413, Map.of("content-type", "text/html"),
					"<html><body>413 Request Entity Too Large</body></html>");
		WebTestClient.ResponseSpec response = post(GatewayTestSupport.FAILOVER_KEY, PLAIN);
		response.expectHeader().valueEquals("x-should-retry", "false");
		JsonNode error = expectEnvelope(response, 413);
		assertThat(error.path("error").path("type").asString()).isEqualTo("request_too_large");
		assertThat(fake.requests()).as("not retried elsewhere").hasSize(1);
	}

	@Test
	void answersAConvertedUpstreamsHtmlErrorAsAnAnthropicErrorToo() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).htmlError(502).times(2);
		for (String body : new String[] { PLAIN, STREAMING }) {
			JsonNode error = expectEnvelope(post(GatewayTestSupport.OPENAI_KEY, body), 502);
			assertThat(error.path("error").path("type").asString()).isEqualTo("api_error");
		}
	}

	@Test
	void failsOverFromATruncatedAnswerAndSetsTheAccountAside() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).truncatedAnswer();
		post(GatewayTestSupport.ROUTING_KEY, preferringRouteA(PLAIN)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("message");
		assertThat(fake.requests()).extracting(RecordedRequest::credential)
			.containsExactly(GatewayTestSupport.CREDENTIAL_ROUTE_A, GatewayTestSupport.CREDENTIAL_ROUTE_B);
		assertThat(healthOf("route-a").lastError()).isEqualTo("HTTP 200 with a truncated or non-JSON body");
	}

	@Test
	void failsOverFromANonJsonAnswerToAStreamingRequest() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).nonJsonAnswer("text/html", "<html>maintenance</html>");
		String stream = post(GatewayTestSupport.ROUTING_KEY, preferringRouteA(STREAMING)).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(stream).contains("event: message_start").contains("event: message_stop").doesNotContain("<html");
		assertThat(fake.requests()).hasSize(2);
		assertThat(healthOf("route-a").lastError()).startsWith("HTTP 200 with");
	}

	@Test
	void neverForwardsAGarbledAnswerWhenNoOtherAccountIsLeft() {
		fake.script(GatewayTestSupport.CREDENTIAL_A).truncatedAnswer();
		JsonNode error = expectEnvelope(post(GatewayTestSupport.KEY, PLAIN), 502);
		assertThat(error.path("error").path("type").asString()).isEqualTo("api_error");
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).nonJsonAnswer("application/json", "");
		expectEnvelope(post(GatewayTestSupport.OPENAI_KEY, PLAIN), 502);
	}

	@Test
	void hidesAnUpstreamRejectionOfTheAccountFromTheTenantAndRecordsItForAdmins() {
		fake.script().invalidCredential().times(2);
		JsonNode error = expectEnvelope(post(GatewayTestSupport.ROUTING_KEY, PLAIN), 502);
		assertThat(error.path("error").path("type").asString()).isEqualTo("api_error");
		assertThat(error.toString()).doesNotContain("x-api-key").doesNotContain("invalid");
		assertThat(fake.requests()).hasSize(2);
		assertThat(healthOf("route-a").lastError()).startsWith("HTTP 401 from the provider")
			.endsWith(": invalid x-api-key");
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).invalidCredential();
		JsonNode converted = expectEnvelope(post(GatewayTestSupport.OPENAI_KEY, PLAIN), 502);
		assertThat(converted.toString()).doesNotContain("Incorrect API key");
	}

	@Test
	void answersARateLimitWhileEveryAccountOfTheGroupCoolsDownAfter429s() {
		fake.script().rateLimited(Duration.ofSeconds(30)).times(2);
		post(GatewayTestSupport.ROUTING_KEY, PLAIN).expectStatus()
			.isEqualTo(429)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error");
		assertThat(fake.requests()).hasSize(2);
		EntityExchangeResult<byte[]> cooling = post(GatewayTestSupport.ROUTING_KEY, PLAIN).expectStatus()
			.isEqualTo(429)
			.expectBody()
			.returnResult();
		assertThat(fake.requests()).as("nothing sent while both cool down").hasSize(2);
		JsonNode error = JSON.readTree(cooling.getResponseBody());
		assertThat(error.path("error").path("type").asString()).isEqualTo("rate_limit_error");
		assertThat(Long.parseLong(cooling.getResponseHeaders().getFirst("retry-after"))).isBetween(1L, 30L);
	}

	@Test
	void answersOverloadedOnlyWhenTheCoolingAccountsWereOverloaded() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).rateLimited(Duration.ofSeconds(30));
		// long enough for the second request to find both accounts still cooling down
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_B).overloaded().withHeaders(Map.of("retry-after", "30"));
		post(GatewayTestSupport.ROUTING_KEY, preferringRouteA(PLAIN)).expectStatus().isEqualTo(529);
		post(GatewayTestSupport.ROUTING_KEY, PLAIN).expectStatus()
			.isEqualTo(529)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("overloaded_error");
		assertThat(fake.requests()).as("nothing sent while both cool down").hasSize(2);
	}

	private static String preferringRouteA(String body) {
		return body.replace("\"max_tokens\"", "\"gateway\":{\"order\":[\"route-a\"]},\"max_tokens\"");
	}

	private WebTestClient.ResponseSpec post(String key, String body) {
		return this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** Checks the Anthropic envelope, its status, type and request id; gives it back. */
	private static JsonNode expectEnvelope(WebTestClient.ResponseSpec response, int status) {
		EntityExchangeResult<byte[]> result = response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult();
		assertThat(result.getResponseBody()).isNotEmpty();
		JsonNode body = JSON.readTree(result.getResponseBody());
		assertThat(body.path("type").asString()).isEqualTo("error");
		assertThat(body.path("error").path("message").asString()).isNotBlank();
		assertThat(body.path("request_id").asString()).isEqualTo(result.getResponseHeaders().getFirst("request-id"));
		return body;
	}

	private AccountHealth healthOf(String name) {
		long id = GatewayTestSupport.accountId(this.directory, name);
		return this.health.all().block().stream().filter((h) -> h.accountId() == id).findFirst().orElseThrow();
	}

	private Map<String, Object> awaitUsage(String requestId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
				.bind("id", requestId)
				.fetch()
				.one()
				.block(Duration.ofSeconds(5)), (row) -> row != null);
	}

}
