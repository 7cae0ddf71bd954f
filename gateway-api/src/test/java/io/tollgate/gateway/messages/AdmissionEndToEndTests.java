package io.tollgate.gateway.messages;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.Gate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission end to end, on the embedded database and in-process limits: address
 * allow-lists behind a trusted proxy, rate limits, balance, concurrency, and a client
 * leaving mid-stream.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdmissionEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String CREDENTIAL = "sk-ant-admission";

	static final String ALLOWLISTED = "tg-adm-allowlisted-0000000000000000000000";

	static final String LOCAL_ONLY = "tg-adm-local-only-0000000000000000000000";

	static final String ONE_PER_MINUTE = "tg-adm-rpm-000000000000000000000000000000";

	static final String POOR = "tg-adm-poor-00000000000000000000000000000";

	static final String PAIR = "tg-adm-pair-00000000000000000000000000000";

	static final String SINGLE = "tg-adm-single-000000000000000000000000000";

	static final String SUBSCRIBER = "tg-adm-subscriber-0000000000000000000000";

	static final String BROKE = "tg-adm-broke-0000000000000000000000000000";

	static final String UNSUBSCRIBED = "tg-adm-unsubscribed-00000000000000000000";

	@Autowired
	Directory directory;

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-admission");
		Path bootstrap = dataDir.resolve("bootstrap.yml");
		Files.writeString(bootstrap,
				"""
						tenants:
						  - name: rich
						    balance: "100"
						  - name: poor
						    balance: "0.0001"
						  - name: broke
						    balance: "0"
						accounts:
						  - name: main
						    platform: anthropic
						    base-url: %s
						    credential: %s
						groups:
						  - name: claude
						    platform: anthropic
						    model-mapping:
						      "claude-*": "claude-sonnet-4-5"
						    accounts: [main]
						  - name: plan-only
						    platform: anthropic
						    billing-mode: subscription
						    model-mapping:
						      "claude-*": "claude-sonnet-4-5"
						    accounts: [main]
						  - name: plan-never
						    platform: anthropic
						    billing-mode: subscription
						    model-mapping:
						      "claude-*": "claude-sonnet-4-5"
						    accounts: [main]
						prices:
						  - model: "claude-*"
						    input: "3"
						    output: "15"
						    cache-write-5m: "3.75"
						    cache-write-1h: "6"
						    cache-read: "0.30"
						keys:
						  - {name: allowlisted, tenant: rich, group: claude, key: %s, ip-allow: ["203.0.113.0/24", "2001:db8::/32"]}
						  - {name: local, tenant: rich, group: claude, key: %s, ip-allow: ["127.0.0.0/8", "::1/128"]}
						  - {name: rpm, tenant: rich, group: claude, key: %s, rpm: 1}
						  - {name: poor, tenant: poor, group: claude, key: %s}
						  - {name: pair, tenant: rich, group: claude, key: %s, concurrency: 2}
						  - {name: single, tenant: rich, group: claude, key: %s, concurrency: 1}
						  - {name: subscriber, tenant: rich, group: plan-only, key: %s}
						  - {name: broke, tenant: broke, group: claude, key: %s}
						  - {name: unsubscribed, tenant: rich, group: plan-never, key: %s}
						"""
					.formatted(fake.baseUrl(), CREDENTIAL, ALLOWLISTED, LOCAL_ONLY, ONE_PER_MINUTE, POOR, PAIR, SINGLE,
							SUBSCRIBER, BROKE, UNSUBSCRIBED));
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", bootstrap::toString);
		registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
		registry.add("tollgate.billing.concurrency-wait", () -> "0s");
		registry.add("tollgate.gateway.client-address.trusted-proxies", () -> "127.0.0.1/32,::1/128");
	}

	@BeforeEach
	void connect() {
		fake.reset();
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	private WebTestClient.ResponseSpec call(String key, String forwardedFor, int maxTokens) {
		WebTestClient.RequestBodySpec spec = this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON);
		if (forwardedFor != null) {
			spec = spec.header("x-forwarded-for", forwardedFor);
		}
		return spec
			.bodyValue("{\"model\":\"claude-x\",\"max_tokens\":" + maxTokens
					+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange();
	}

	@Test
	void refusesAKeyOutsideItsAddressAllowListAndBelievesOnlyTrustedProxies() {
		call(ALLOWLISTED, null, 16).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("permission_error");
		call(ALLOWLISTED, "203.0.113.77", 16).expectStatus().isOk();
		call(ALLOWLISTED, "2001:db8::9", 16).expectStatus().isOk();
		call(ALLOWLISTED, "203.0.113.77, 198.51.100.1", 16).expectStatus().isForbidden();
		call(LOCAL_ONLY, null, 16).expectStatus().isOk();
		call(LOCAL_ONLY, "198.51.100.1", 16).expectStatus().isForbidden();
	}

	@Test
	void limitsRequestsPerMinuteWithRetryAfter() {
		call(ONE_PER_MINUTE, null, 16).expectStatus().isOk();
		call(ONE_PER_MINUTE, null, 16).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("retry-after")
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error");
	}

	@Test
	void refusesWhatTheBalanceCannotCover() {
		// 1000 output tokens at 15 per million may cost 0.015: more than 0.0001
		call(POOR, null, 1000).expectStatus()
			.isEqualTo(402)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("billing_error");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void countTokensIsFreeButOnlyForPayersInGoodStanding() {
		countTokens(POOR).expectStatus().isOk().expectBody().jsonPath("$.input_tokens").isNumber();
		countTokens(BROKE).expectStatus()
			.isEqualTo(402)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("billing_error");
		countTokens(UNSUBSCRIBED).expectStatus().isEqualTo(402);
		assertThat(fake.requests()).as("only the payer in good standing was counted upstream").hasSize(1);
	}

	private WebTestClient.ResponseSpec countTokens(String key) {
		return this.http.post()
			.uri("/v1/messages/count_tokens")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange();
	}

	@Test
	void aSpentSubscriptionWindowIsRefusedUntilItResets() {
		call(SUBSCRIBER, null, 16).expectStatus().isEqualTo(402);
		this.db
			.sql("INSERT INTO plan (name, group_id, daily_limit) SELECT 'tiny', id, 0.002 FROM api_group "
					+ "WHERE name = 'plan-only'")
			.then()
			.then(this.db
				.sql("INSERT INTO subscription (tenant_id, plan_id, starts_at) SELECT t.id, p.id, :start "
						+ "FROM tenant t, plan p WHERE t.name = 'rich' AND p.name = 'tiny'")
				.bind("start", OffsetDateTime.parse("2020-01-01T00:00:00Z"))
				.then())
			.then(this.db.sql("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").then())
			.then(this.directory.reload())
			.block(Duration.ofSeconds(10));
		// 16 output tokens may cost at most about 0.0035 with the input bound: too much
		// for 0.002
		String retryAfter = call(SUBSCRIBER, null, 16).expectStatus()
			.isEqualTo(429)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error")
			.returnResult()
			.getResponseHeaders()
			.getFirst("retry-after");
		long untilMidnight = Duration.between(Instant.now(), SpendWindow.DAILY.end(Instant.now())).toSeconds();
		assertThat(Long.parseLong(retryAfter)).isBetween(untilMidnight - 5, untilMidnight + 5);
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void neverRunsMoreRequestsOfAKeyAtOnceThanItsLimit() throws Exception {
		Gate gate = fake.hold();
		HttpClient client = HttpClient.newHttpClient();
		try {
			List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				responses.add(client.sendAsync(post(PAIR, false), HttpResponse.BodyHandlers.ofString()));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> gate.waiting() == 2);
			await().atMost(Duration.ofSeconds(20))
				.alias("the four beyond the limit are refused while two are held upstream")
				.until(() -> responses.stream().filter(java.util.concurrent.CompletableFuture::isDone).count() == 4);
			gate.release();
			List<Integer> statuses = new ArrayList<>();
			for (var response : responses) {
				statuses.add(response.get(20, TimeUnit.SECONDS).statusCode());
			}
			assertThat(statuses).filteredOn((status) -> status == 200).hasSize(2);
			assertThat(statuses).filteredOn((status) -> status == 429).hasSize(4);
			assertThat(fake.maxInFlight()).isEqualTo(2);
		}
		finally {
			fake.release();
			client.shutdownNow();
		}
		call(PAIR, null, 16).expectStatus().isOk();
		call(PAIR, null, 16).expectStatus().isOk();
	}

	@Test
	void permitsComeBackWhenTheUpstreamFailsOrTheClientLeavesBeforeTheAnswer() throws Exception {
		// concurrency 1: each call below is only possible if the one before gave its
		// permit back
		fake.script(CREDENTIAL).error(500, "api_error", "boom");
		call(SINGLE, null, 16).expectStatus().isEqualTo(500);
		fake.script(CREDENTIAL).error(400, "invalid_request_error", "no");
		call(SINGLE, null, 16).expectStatus().isEqualTo(400);
		call(SINGLE, null, 16).expectStatus().isOk();
		Gate gate = fake.hold();
		HttpClient client = HttpClient.newHttpClient();
		try {
			HttpRequest impatient = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
				.header("x-api-key", SINGLE)
				.header("content-type", "application/json")
				.timeout(Duration.ofMillis(500))
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"model\":\"claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
				.build();
			assertThat(client.sendAsync(impatient, HttpResponse.BodyHandlers.ofString()))
				.failsWithin(Duration.ofSeconds(10));
			assertThat(gate.isReleased()).isFalse();
		}
		finally {
			client.shutdownNow();
			fake.release();
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> call(SINGLE, null, 16).expectStatus().isOk());
	}

	@Test
	void aClientLeavingMidStreamGetsItsPermitBackAndIsBilledOnceForWhatWasStreamed() throws Exception {
		fake.script(CREDENTIAL)
			.reply(AnthropicReply.create()
				.text("The quick brown fox jumps over the lazy dog. ", "The quick brown fox jumps over the lazy dog. ",
						"never sent")
				.inputTokens(1234)
				.outputTokens(500))
			.stallAfterEvents(5);
		HttpClient client = HttpClient.newHttpClient();
		String requestId;
		try {
			HttpResponse<InputStream> response = client
				.sendAsync(post(SINGLE, true), HttpResponse.BodyHandlers.ofInputStream())
				.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			requestId = response.headers().firstValue("request-id").orElseThrow();
			BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
			int deltas = 0;
			String line;
			while (deltas < 2 && (line = body.readLine()) != null) {
				if (line.startsWith("event: content_block_delta")) {
					deltas++;
				}
			}
			assertThat(deltas).isEqualTo(2);
			body.close();
		}
		finally {
			client.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> !usage(requestId).isEmpty());
		Map<String, Object> usage = usage(requestId).get(0);
		assertThat(usage.get("outcome")).isEqualTo("client_cancelled");
		assertThat(usage.get("usage_estimated")).isEqualTo(true);
		assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(1234);
		assertThat(((Number) usage.get("output_tokens")).longValue()).isBetween(15L, 30L);
		assertThat((BigDecimal) usage.get("charged_cost")).isPositive();
		assertThat(usage.get("charged_to")).isEqualTo("balance");
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id = '" + requestId + "'")).isEqualTo(1);
		// concurrency 1: only possible if the cancelled stream gave its permit back
		call(SINGLE, null, 16).expectStatus().isOk();
		Thread.sleep(300);
		assertThat(usage(requestId)).hasSize(1);
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id = '" + requestId + "'")).isEqualTo(1);
	}

	private HttpRequest post(String key, boolean stream) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", key)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-x\",\"max_tokens\":64,\"stream\":" + stream
					+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
	}

	private List<Map<String, Object>> usage(String requestId) {
		return this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
			.bind("id", requestId)
			.fetch()
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

}
