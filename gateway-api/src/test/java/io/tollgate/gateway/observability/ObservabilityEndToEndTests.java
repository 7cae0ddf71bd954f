package io.tollgate.gateway.observability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Metrics and access log after real requests through Tollgate to the fake upstream: a
 * whole answer with a cache hit, a stream, a failover, a cancelled stream, refusals, the
 * cardinality cap, and the protected Prometheus endpoint.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.observability.prometheus-token=scrape-token-0123456789",
				"tollgate.observability.max-label-values=6", "tollgate.observability.state-refresh=100ms" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String KEY = "tg-obs-main-key-0000000000000000000000000";

	static final String POOL_KEY = "tg-obs-pool-key-0000000000000000000000000";

	static final String FENCED_KEY = "tg-obs-fenced-key-00000000000000000000000";

	static final String CREDENTIAL_A = "sk-ant-obs-a";

	static final String CREDENTIAL_B = "sk-ant-obs-b";

	static final String PROMPT = "Summarise the quarterly ledger of Zanzibar Widgets";

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	WebTestClient http;

	ListAppender<ILoggingEvent> accessLog;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		try {
			Path dataDir = Files.createTempDirectory("tollgate-obs");
			Path bootstrap = dataDir.resolve("bootstrap.yml");
			Files.writeString(bootstrap, bootstrap(fake.baseUrl()));
			registry.add("tollgate.data-dir", dataDir::toString);
			registry.add("tollgate.bootstrap-file", bootstrap::toString);
			registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@BeforeEach
	void connect() {
		fake.reset();
		GatewayTestSupport.resetHealth(this.health);
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.accessLog = new ListAppender<>();
		this.accessLog.start();
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(this.accessLog);
	}

	@AfterEach
	void detach() {
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(this.accessLog);
	}

	@AfterAll
	static void stopFake() {
		fake.reset();
	}

	@Test
	void countsTokensCostLatencyAndTheCacheHitOfAWholeAnswer() {
		fake.script(CREDENTIAL_A)
			.reply(AnthropicReply.create()
				.text("Hello")
				.inputTokens(1000)
				.outputTokens(200)
				.cacheWrite(100, 200)
				.cacheRead(2700));
		String requestId = post(KEY, "claude-obs", false).expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("request-id");
		Map<String, String> labels = Map.of("tenant", "acme", "group", "claude", "requested_model", "claude-obs",
				"upstream_model", "claude-sonnet-4-5", "account", "account-a", "platform", "anthropic", "stream",
				"false", "outcome", "ok");
		MetricsScrape scrape = awaitScrape("tollgate_requests_total", labels, 1);
		assertThat(scrape.find("tollgate_requests_total", labels)).singleElement()
			.satisfies((sample) -> assertThat(sample.labels()).containsEntry("endpoint", "messages"));
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "input"))).isEqualTo(1000);
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "output"))).isEqualTo(200);
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "cache_write_5m"))).isEqualTo(100);
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "cache_write_1h"))).isEqualTo(200);
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "cache_read"))).isEqualTo(2700);
		// 1000*3 + 200*15 + 100*3.75 + 200*6 + 2700*0.30 = 8385 per million; multiplier 2
		assertThat(scrape.sum("tollgate_cost_total", with(labels, "kind", "list"))).isCloseTo(0.008385, offset(1e-9));
		assertThat(scrape.sum("tollgate_cost_total", with(labels, "kind", "charged"))).isCloseTo(0.01677, offset(1e-9));
		assertThat(scrape.sum("tollgate_request_duration_seconds_count", labels)).isEqualTo(1);
		assertThat(scrape.find("tollgate_request_duration_seconds_bucket", with(labels, "le", "600.0"))).singleElement()
			.satisfies((sample) -> assertThat(sample.value()).isEqualTo(1));
		assertThat(scrape.sum("tollgate_time_to_first_token_seconds_count", labels)).isEqualTo(1);
		assertThat(scrape.sum("tollgate_upstream_attempts_count", labels)).isEqualTo(1);
		assertThat(scrape.sum("tollgate_failovers_total", labels)).isZero();
		// the answers by status stand in for Spring's http_server_requests, which skips
		// the
		// Messages endpoints while traces are not exported
		assertThat(scrape.sum("tollgate_responses_total", Map.of("endpoint", "messages", "status", "200")))
			.isGreaterThanOrEqualTo(1);
		assertThat(scrape.find("http_server_requests_seconds_count", Map.of("uri", "/v1/messages"))).isEmpty();
		// cache reads over cacheable input, over every request of the tuple so far
		Map<String, String> cacheTuple = Map.of("tenant", "acme", "group", "claude", "account", "account-a",
				"upstream_model", "claude-sonnet-4-5");
		double read = scrape.sum("tollgate_tokens_total", with(cacheTuple, "type", "cache_read"));
		double cacheable = read + scrape.sum("tollgate_tokens_total", with(cacheTuple, "type", "input"))
				+ scrape.sum("tollgate_tokens_total", with(cacheTuple, "type", "cache_write_5m"))
				+ scrape.sum("tollgate_tokens_total", with(cacheTuple, "type", "cache_write_1h"));
		assertThat(read).isGreaterThanOrEqualTo(2700);
		assertThat(scrape.sum("tollgate_prompt_cache_hit_ratio", cacheTuple)).isPositive()
			.isCloseTo(read / cacheable, offset(1e-9));

		String line = awaitAccessLine(requestId);
		assertThat(line)
			.contains("request_id=" + requestId, "tenant=acme", "group=claude", "requested_model=claude-obs",
					"upstream_model=claude-sonnet-4-5", "account=account-a", "platform=anthropic", "stream=false",
					"attempts=1", "status=200", "outcome=ok", "input_tokens=1000", "output_tokens=200",
					"cache_write_5m_tokens=100", "cache_write_1h_tokens=200", "cache_read_tokens=2700",
					"list_cost=0.008385", "charged_cost=0.01677", "client=127.0.0.1",
					"key_prefix=" + KEY.substring(0, 8), "upstream_request_id=req_")
			.containsPattern(" latency_ms=\\d+")
			.containsPattern(" ttft_ms=\\d+");
		assertThat(line).doesNotContain(KEY, PROMPT, "Hello", CREDENTIAL_A);
		assertThat(this.accessLog.list)
			.allSatisfy((event) -> assertThat(event.getFormattedMessage()).doesNotContain(KEY, PROMPT, CREDENTIAL_A));
		assertThat(scrapeText()).doesNotContain(KEY, PROMPT, CREDENTIAL_A);
	}

	@Test
	void measuresTimeToFirstTokenAndTheGapsBetweenEventsOfAStream() {
		fake.script(CREDENTIAL_A)
			.reply(AnthropicReply.create().text("Hel", "lo", " there").inputTokens(42).outputTokens(7));
		post(KEY, "claude-obs", true).expectStatus().isOk().expectBody(String.class).returnResult();
		Map<String, String> labels = Map.of("requested_model", "claude-obs", "stream", "true", "outcome", "ok");
		MetricsScrape scrape = awaitScrape("tollgate_requests_total", labels, 1);
		assertThat(scrape.sum("tollgate_time_to_first_token_seconds_count", labels)).isEqualTo(1);
		assertThat(scrape.sum("tollgate_tokens_total", with(labels, "type", "output"))).isEqualTo(7);
		assertThat(scrape.sum("tollgate_stream_event_gap_seconds_count",
				Map.of("account", "account-a", "platform", "anthropic", "upstream_model", "claude-sonnet-4-5")))
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void countsAFailoverAndTheAttemptsItTook() {
		fake.script(CREDENTIAL_A).overloaded();
		String requestId = post(POOL_KEY, "claude-obs", false).expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("request-id");
		Map<String, String> labels = Map.of("group", "pool", "account", "account-b", "outcome", "ok");
		MetricsScrape scrape = awaitScrape("tollgate_requests_total", labels, 1);
		assertThat(scrape.sum("tollgate_failovers_total", labels)).isEqualTo(1);
		assertThat(scrape.sum("tollgate_upstream_attempts_sum", labels)).isEqualTo(2);
		assertThat(scrape.find("tollgate_upstream_attempts_bucket", with(labels, "le", "1.0"))).singleElement()
			.satisfies((sample) -> assertThat(sample.value()).isZero());
		assertThat(awaitAccessLine(requestId)).contains("attempts=2", "account=account-b", "group=pool");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(scrape().sum("tollgate_account_health", Map.of("account", "account-a")))
				.isEqualTo(1));
		assertThat(scrape().sum("tollgate_account_cooldown_remaining_seconds", Map.of("account", "account-a")))
			.isPositive();
	}

	@Test
	void countsAStreamTheClientCancelled() throws Exception {
		fake.script(CREDENTIAL_A).stallAfterEvents(3);
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", KEY)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body("claude-cancel", true)))
			.build();
		HttpResponse<InputStream> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
			.get(10, TimeUnit.SECONDS);
		String requestId = response.headers().firstValue("request-id").orElseThrow();
		try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			int events = 0;
			while (events < 3 && (line = body.readLine()) != null) {
				events += line.startsWith("event: ") ? 1 : 0;
			}
		}
		finally {
			client.shutdownNow();
		}
		Map<String, String> labels = Map.of("requested_model", "claude-cancel", "stream", "true", "outcome",
				"client_cancelled");
		awaitScrape("tollgate_requests_total", labels, 1);
		assertThat(awaitAccessLine(requestId)).contains("outcome=client_cancelled", "status=200", "stream=true");
	}

	@Test
	void countsRefusalsByReasonAndErrorsByType() {
		post(FENCED_KEY, "claude-obs", false).expectStatus().isForbidden();
		post("tg-obs-unknown-key-0000000000000000000000", "claude-obs", false).expectStatus().isUnauthorized();
		MetricsScrape scrape = awaitScrape("tollgate_admission_refusals_total",
				Map.of("reason", "address_not_allowed", "tenant", "acme", "group", "claude"), 1);
		assertThat(scrape.sum("tollgate_request_errors_total",
				Map.of("error_type", "permission_error", "outcome", "rejected", "tenant", "acme")))
			.isEqualTo(1);
		assertThat(scrape.sum("tollgate_request_errors_total",
				Map.of("error_type", "authentication_error", "tenant", "none")))
			.isEqualTo(1);
	}

	@Test
	void exposesStateGaugesThroughEachFeaturesApi() {
		MetricsScrape scrape = awaitScrape("tollgate_account_health", Map.of("account", "account-b"), 0);
		assertThat(scrape.find("tollgate_account_breaker_state", Map.of("account", "account-a"))).hasSize(1);
		assertThat(scrape.find("tollgate_usage_journal_backlog", Map.of())).hasSize(1);
		assertThat(scrape.find("tollgate_usage_journal_oldest_age_seconds", Map.of())).hasSize(1);
		assertThat(scrape.find("tollgate_usage_write_lag_seconds", Map.of())).hasSize(1);
		assertThat(scrape.find("tollgate_directory_revision_age_seconds", Map.of())).singleElement()
			.satisfies((sample) -> assertThat(sample.value()).isLessThan(60));
		assertThat(scrape.find("tollgate_sticky_bindings", Map.of())).hasSize(1);
		assertThat(scrape.find("tollgate_inflight_requests", Map.of("scope", "account", "name", "account-a")))
			.hasSize(1);
	}

	@Test
	void protectsThePrometheusEndpointWithTheConfiguredToken() {
		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		this.http.get()
			.uri("/actuator/prometheus")
			.header("authorization", "Bearer not-the-token")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(scrapeText()).contains("# TYPE tollgate_directory_revision_age_seconds gauge");
	}

	@Test
	void theGrafanaDashboardQueriesOnlyMetricsTheGatewayExports() throws IOException {
		post(KEY, "claude-obs", false).expectStatus().isOk();
		post("tg-obs-unknown-key-0000000000000000000000", "claude-obs", false).expectStatus().isUnauthorized();
		java.util.regex.Matcher names = java.util.regex.Pattern.compile("tollgate_[a-z_]+")
			.matcher(Files.readString(Path.of("..", "deploy", "grafana", "tollgate.json")));
		java.util.Set<String> queried = new java.util.TreeSet<>();
		while (names.find()) {
			queried.add(names.group());
		}
		assertThat(queried).hasSizeGreaterThan(5);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(queried).allSatisfy((name) -> assertThat(scrape().find(name, Map.of()))
				.as("samples of %s, which the dashboard queries", name)
				.isNotEmpty()));
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void capsTheDistinctValuesOfALabel() {
		for (int i = 0; i < 8; i++) {
			post(KEY, "claude-cap-" + i, false).expectStatus().isOk();
		}
		MetricsScrape scrape = awaitScrape("tollgate_requests_total", Map.of("requested_model", "other"), 1);
		List<String> models = scrape.find("tollgate_requests_total", Map.of())
			.stream()
			.map((sample) -> sample.labels().get("requested_model"))
			.filter((model) -> !"none".equals(model))
			.distinct()
			.toList();
		assertThat(models).contains("other").hasSizeLessThanOrEqualTo(7);
	}

	private WebTestClient.ResponseSpec post(String key, String model, boolean stream) {
		return this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body(model, stream))
			.exchange();
	}

	private static String body(String model, boolean stream) {
		return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
	}

	private String scrapeText() {
		return this.http.get()
			.uri("/actuator/prometheus")
			.header("authorization", "Bearer scrape-token-0123456789")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private MetricsScrape scrape() {
		return new MetricsScrape(scrapeText());
	}

	private MetricsScrape awaitScrape(String name, Map<String, String> labels, double atLeast) {
		return await().atMost(Duration.ofSeconds(10)).until(this::scrape, (scrape) -> {
			List<MetricsScrape.Sample> found = scrape.find(name, labels);
			return !found.isEmpty() && found.stream().mapToDouble(MetricsScrape.Sample::value).sum() >= atLeast;
		});
	}

	private String awaitAccessLine(String requestId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.accessLog.list.stream()
				.map(ILoggingEvent::getFormattedMessage)
				.filter((line) -> line.contains("request_id=" + requestId))
				.findFirst()
				.orElse(null), (line) -> line != null);
	}

	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> all = new HashMap<>(labels);
		all.put(name, value);
		return all;
	}

	static String bootstrap(String baseUrl) {
		return """
				tenants:
				  - name: acme
				    balance: "100"
				accounts:
				  - name: account-a
				    platform: anthropic
				    base-url: %1$s
				    credential: %2$s
				  - name: account-b
				    platform: anthropic
				    base-url: %1$s
				    credential: %3$s
				    concurrency: 5
				groups:
				  - name: claude
				    platform: anthropic
				    multiplier: "2"
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts: [account-a]
				  - name: pool
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts:
				      - name: account-a
				        priority: 0
				      - name: account-b
				        priority: 1
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				    cache-write-5m: "3.75"
				    cache-write-1h: "6"
				    cache-read: "0.30"
				keys:
				  - name: main
				    tenant: acme
				    group: claude
				    key: %4$s
				  - name: pool
				    tenant: acme
				    group: pool
				    key: %5$s
				  - name: fenced
				    tenant: acme
				    group: claude
				    key: %6$s
				    ip-allow: ["10.0.0.0/8"]
				""".formatted(baseUrl, CREDENTIAL_A, CREDENTIAL_B, KEY, POOL_KEY, FENCED_KEY);
	}

}
