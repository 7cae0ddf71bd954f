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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.Gate;
import io.tollgate.routing.convert.TokenEstimator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client that goes away costs, end to end: a stream cut after its first text delta
 * is billed with its output estimated, and a request the upstream was already working on
 * when the client left before the answer's head is recorded as {@code client_cancelled}
 * with its input estimated and charged.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class CancelAccountingEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String CREDENTIAL = "sk-ant-cancel";

	static final String KEY = "tg-cancel-key-0000000000000000000000000000";

	static final String PROMPT = "Summarise the history of the printing press in three long paragraphs, please.";

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-cancel");
		Path bootstrap = dataDir.resolve("bootstrap.yml");
		Files.writeString(bootstrap, """
				tenants:
				  - name: patient
				    balance: "100"
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
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				keys:
				  - {name: main, tenant: patient, group: claude, key: %s}
				""".formatted(fake.baseUrl(), CREDENTIAL, KEY));
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", bootstrap::toString);
		registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void aStreamCancelledAfterItsFirstTextDeltaIsBilledWithItsOutputEstimated() throws Exception {
		fake.script(CREDENTIAL)
			.reply(AnthropicReply.create()
				.text("Hi", " there, the printing press", " never sent")
				.inputTokens(1234)
				.outputTokens(500))
			.stallAfterEvents(4);
		HttpClient client = HttpClient.newHttpClient();
		String requestId;
		try {
			HttpResponse<InputStream> response = client.sendAsync(post(true), HttpResponse.BodyHandlers.ofInputStream())
				.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			requestId = response.headers().firstValue("request-id").orElseThrow();
			BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
			String line;
			boolean delta = false;
			while (!delta && (line = body.readLine()) != null) {
				delta = line.startsWith("event: content_block_delta");
			}
			assertThat(delta).isTrue();
			body.close();
		}
		finally {
			client.shutdownNow();
		}
		Map<String, Object> usage = awaitUsage(requestId);
		assertThat(usage.get("outcome")).isEqualTo("client_cancelled");
		assertThat(usage.get("usage_estimated")).isEqualTo(true);
		assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(1234);
		assertThat(((Number) usage.get("output_tokens")).longValue()).isBetween(1L, 10L);
		assertThat((BigDecimal) usage.get("charged_cost")).isPositive();
		assertThat(ledgerEntries(requestId)).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aRequestAbandonedBeforeTheAnswersHeadIsRecordedWithItsInputEstimatedAndCharged(boolean stream)
			throws Exception {
		Gate gate = fake.hold();
		HttpClient client = HttpClient.newHttpClient();
		try {
			var answer = client.sendAsync(post(stream), HttpResponse.BodyHandlers.ofString());
			await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
			answer.cancel(true);
			client.shutdownNow();
			// the client never got a head, nor the request id: the one 499 of its kind
			await().atMost(Duration.ofSeconds(20)).until(() -> !abandoned(stream).isEmpty());
			assertThat(abandoned(stream)).hasSize(1);
			Map<String, Object> usage = abandoned(stream).get(0);
			String requestId = (String) usage.get("request_id");
			assertThat(gate.isReleased()).as("the upstream was still working on it").isFalse();
			long estimate = new TokenEstimator()
				.estimateInputTokens(JsonMapper.builder().build().readTree(body(stream)));
			assertThat(estimate).isPositive();
			assertThat(usage.get("outcome")).isEqualTo("client_cancelled");
			assertThat(((Number) usage.get("http_status")).intValue()).isEqualTo(499);
			assertThat(usage.get("usage_estimated")).isEqualTo(true);
			assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(estimate);
			assertThat(((Number) usage.get("output_tokens")).longValue()).isZero();
			// estimate * 3 per million tokens
			assertThat((BigDecimal) usage.get("charged_cost"))
				.isEqualByComparingTo(BigDecimal.valueOf(estimate * 3).movePointLeft(6));
			assertThat(ledgerEntries(requestId)).isEqualTo(1);
		}
		finally {
			fake.release();
			client.shutdownNow();
		}
	}

	private HttpRequest post(boolean stream) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", KEY)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body(stream)))
			.build();
	}

	private List<Map<String, Object>> abandoned(boolean stream) {
		return this.db.sql("SELECT * FROM usage_record WHERE http_status = 499 AND stream = :stream")
			.bind("stream", stream)
			.fetch()
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private static String body(boolean stream) {
		return "{\"model\":\"claude-x\",\"max_tokens\":512,\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
	}

	private Map<String, Object> awaitUsage(String requestId) {
		await().atMost(Duration.ofSeconds(20)).until(() -> !usage(requestId).isEmpty());
		List<Map<String, Object>> rows = usage(requestId);
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	private List<Map<String, Object>> usage(String requestId) {
		return this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
			.bind("id", requestId)
			.fetch()
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private long ledgerEntries(String requestId) {
		return this.db.sql("SELECT COUNT(*) FROM ledger_entry WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

}
