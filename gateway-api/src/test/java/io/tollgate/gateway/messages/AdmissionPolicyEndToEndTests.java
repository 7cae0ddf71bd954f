package io.tollgate.gateway.messages;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.directory.Directory;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.RecordedRequest;
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
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admission policies end to end: a plan whose daily limit is below one Claude Code
 * request's full bound serves it with a clamped {@code max_tokens} (visible upstream, in
 * the response header and in the usage record), a strict group refuses it saying what is
 * left and what is needed, an overdraft group lets the charge go beyond the balance by at
 * most the tenant's limit, and an OpenAI-compatible group gets the clamp in the converted
 * request.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdmissionPolicyEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String CREDENTIAL = "sk-ant-policy";

	static final String PLAN_CLAMP = "tg-pol-plan-clamp-0000000000000000000000";

	static final String PLAN_STRICT = "tg-pol-plan-strict-000000000000000000000";

	static final String OVERDRAWER = "tg-pol-overdraft-00000000000000000000000";

	static final String THRIFTY_GPT = "tg-pol-thrifty-gpt-000000000000000000000";

	static final String READER_GPT = "tg-pol-reader-gpt-0000000000000000000000";

	/** The full bound of a Claude Code request (max_tokens 32000, at 15 per million). */
	static final String CLAUDE_CODE_BODY = "{\"model\":\"claude-x\", \"max_tokens\": 32000,\"stream\":%s,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"future_field\":{\"keep\":[1,2]}}";

	static boolean plansInstalled;

	@Autowired
	Directory directory;

	@Autowired
	DatabaseClient db;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-admission-policy");
		Path bootstrap = dataDir.resolve("bootstrap.yml");
		Files.writeString(bootstrap, """
				tenants:
				  - name: planner
				    balance: "0"
				  - name: overdrawer
				    balance: "0.01"
				    overdraft-limit: "1"
				  - name: thrifty
				    balance: "0.05"
				  - name: reader
				    balance: "0.05"
				accounts:
				  - name: main
				    platform: anthropic
				    base-url: %1$s
				    credential: %2$s
				  - name: gpt-account
				    platform: openai
				    base-url: %1$s/v1
				    credential: sk-openai-policy
				groups:
				  - name: plan-clamp
				    platform: anthropic
				    billing-mode: subscription
				    model-mapping: {"claude-*": "claude-sonnet-4-5"}
				    accounts: [main]
				  - name: plan-strict
				    platform: anthropic
				    billing-mode: subscription
				    admission-policy: strict
				    model-mapping: {"claude-*": "claude-sonnet-4-5"}
				    accounts: [main]
				  - name: overdraft
				    platform: anthropic
				    admission-policy: overdraft
				    model-mapping: {"claude-*": "claude-sonnet-4-5"}
				    accounts: [main]
				  - name: gpt
				    platform: openai
				    admission-policy: clamp
				    model-mapping: {"claude-*": "gpt-4o-mini"}
				    accounts: [gpt-account]
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				    cache-write-5m: "3.75"
				    cache-write-1h: "6"
				    cache-read: "0.30"
				  - model: "gpt-*"
				    input: "3"
				    output: "15"
				keys:
				  - {name: plan-clamp, tenant: planner, group: plan-clamp, key: %3$s}
				  - {name: plan-strict, tenant: planner, group: plan-strict, key: %4$s}
				  - {name: overdraft, tenant: overdrawer, group: overdraft, key: %5$s}
				  - {name: gpt, tenant: thrifty, group: gpt, key: %6$s}
				  - {name: reader, tenant: reader, group: gpt, key: %7$s}
				""".formatted(fake.baseUrl(), CREDENTIAL, PLAN_CLAMP, PLAN_STRICT, OVERDRAWER, THRIFTY_GPT,
				READER_GPT));
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", bootstrap::toString);
		registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
	}

	@BeforeEach
	void connect() {
		fake.reset();
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		if (!plansInstalled) {
			// two plans of 0.15 a day: less than one request's full bound of about 0.49
			this.db
				.sql("INSERT INTO plan (name, group_id, daily_limit) SELECT 'tiny', id, 0.15 FROM api_group "
						+ "WHERE name = 'plan-clamp'")
				.then()
				.then(this.db
					.sql("INSERT INTO plan (name, group_id, daily_limit) SELECT 'tiny-strict', id, 0.15 FROM api_group "
							+ "WHERE name = 'plan-strict'")
					.then())
				.then(this.db
					.sql("INSERT INTO subscription (tenant_id, plan_id, starts_at) SELECT t.id, p.id, :start "
							+ "FROM tenant t, plan p WHERE t.name = 'planner'")
					.bind("start", OffsetDateTime.parse("2020-01-01T00:00:00Z"))
					.then())
				.then(this.db.sql("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").then())
				.then(this.directory.reload())
				.block(Duration.ofSeconds(10));
			plansInstalled = true;
		}
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void aPlanBelowOneFullBoundServesAClampedRequestAndSaysSo() {
		String body = CLAUDE_CODE_BODY.formatted("false");
		EntityExchangeResult<byte[]> result = call(PLAN_CLAMP, body).expectStatus().isOk().expectBody().returnResult();
		String clamped = result.getResponseHeaders().getFirst("x-tollgate-max-tokens-clamped");
		assertThat(clamped).as("the clamp is announced").isNotNull();
		long maxTokens = Long.parseLong(clamped);
		// (0.15 - the input bound of about 1031 tokens at 6 per million) / 15 per million
		assertThat(maxTokens).isBetween(9000L, 9700L);
		RecordedRequest upstream = fake.lastRequest();
		assertThat(upstream.bodyText()).as("byte-faithful but for the model and max_tokens")
			.isEqualTo(body.replace("claude-x", "claude-sonnet-4-5").replace("32000", clamped));
		String requestId = result.getResponseHeaders().getFirst("request-id");
		await().atMost(Duration.ofSeconds(20)).until(() -> clampedInUsage(requestId).isPresent());
		assertThat(clampedInUsage(requestId)).contains(maxTokens);
		assertThat(counted("clamped", "window")).isPositive();

		// streamed, the header comes with the events; the window has what the first left
		EntityExchangeResult<byte[]> streamed = call(PLAN_CLAMP, CLAUDE_CODE_BODY.formatted("true")).expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		String second = streamed.getResponseHeaders().getFirst("x-tollgate-max-tokens-clamped");
		assertThat(second).isNotNull();
		assertThat(Long.parseLong(second)).isLessThanOrEqualTo(maxTokens);
		assertThat(fake.lastRequest().json().get("max_tokens").asLong()).isEqualTo(Long.parseLong(second));
	}

	@Test
	void aStrictGroupRefusesSayingWhatIsLeftAndWhatTheRequestNeeds() {
		call(PLAN_STRICT, CLAUDE_CODE_BODY.formatted("false")).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists("retry-after")
			.expectHeader()
			.exists("request-id")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("rate_limit_error")
			.jsonPath("$.error.message")
			.value((String text) -> assertThat(text).startsWith("0.15 left in today's window of plan tiny-strict; "
					+ "this request needs at least 0.49 at max_tokens 32000 \u2014 lower max_tokens or wait "));
		assertThat(fake.requests()).as("nothing went upstream").isEmpty();
		assertThat(counted("refused", "window_spent")).isPositive();
	}

	@Test
	void anOverdraftGroupLetsTheChargeGoBeyondTheBalanceByAtMostTheTenantsLimit() {
		fake.script(CREDENTIAL).reply(AnthropicReply.create().text("long answer").inputTokens(1000).outputTokens(1000));
		// 0.01 left; 1000 in and 1000 out cost 0.018
		EntityExchangeResult<byte[]> result = call(OVERDRAWER,
				"{\"model\":\"claude-x\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("x-tollgate-max-tokens-clamped")
			.expectBody()
			.returnResult();
		String requestId = result.getResponseHeaders().getFirst("request-id");
		await().atMost(Duration.ofSeconds(20)).until(() -> ledgerReason(requestId).isPresent());
		assertThat(ledgerReason(requestId)).hasValueSatisfying((reason) -> assertThat(reason).contains("on overdraft"));
		assertThat(this.db.sql("SELECT balance FROM tenant WHERE name = 'overdrawer'")
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(Duration.ofSeconds(10))).isEqualByComparingTo("-0.008");
		assertThat(counted("overdraft", "balance")).isPositive();
		// nothing is left now: refused, saying so
		call(OVERDRAWER,
				"{\"model\":\"claude-x\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.expectStatus()
			.isEqualTo(402)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("billing_error")
			.jsonPath("$.error.message")
			.value((String text) -> assertThat(text).startsWith("0 left on the balance; this request needs at least ")
				.endsWith("at max_tokens 256 \u2014 lower max_tokens or top up"));
	}

	@Test
	void anOpenAiGroupGetsTheClampInTheConvertedRequest() {
		EntityExchangeResult<byte[]> result = call(THRIFTY_GPT, CLAUDE_CODE_BODY.formatted("false")).expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		String clamped = result.getResponseHeaders().getFirst("x-tollgate-max-tokens-clamped");
		assertThat(clamped).isNotNull();
		// (0.05 - about 1031 tokens of input bound at 3 per million) / 15 per million
		assertThat(Long.parseLong(clamped)).isBetween(3000L, 3200L);
		assertThat(fake.lastRequest().path()).endsWith("/chat/completions");
		assertThat(fake.lastRequest().json().get("max_tokens").asLong()).isEqualTo(Long.parseLong(clamped));
	}

	@Test
	void aLargePromptIsReservedByItsTokensNotItsBytes() {
		// 34 kB of text: about 7,500 tokens. At one token per two bytes its input alone
		// would need 0.054 of the 0.05 left; counted, it leaves room for an answer
		String prompt = "The quick brown fox jumps over the lazy dog. ".repeat(750);
		String body = "{\"model\":\"claude-x\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\""
				+ prompt + "\"}]}";
		String clamped = call(READER_GPT, body).expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseHeaders()
			.getFirst("x-tollgate-max-tokens-clamped");
		assertThat(clamped).isNotNull();
		assertThat(Long.parseLong(clamped)).isBetween(256L, 1600L);
		assertThat(fake.lastRequest().json().get("max_tokens").asLong()).isEqualTo(Long.parseLong(clamped));
	}

	private WebTestClient.ResponseSpec call(String key, String body) {
		return this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body.getBytes(StandardCharsets.UTF_8))
			.exchange();
	}

	private Optional<Long> clampedInUsage(String requestId) {
		return this.db.sql("SELECT max_tokens_clamped FROM usage_record WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> Optional.ofNullable(row.get(0, Long.class)))
			.one()
			.blockOptional(Duration.ofSeconds(10))
			.flatMap((value) -> value);
	}

	private Optional<String> ledgerReason(String requestId) {
		return this.db.sql("SELECT reason FROM ledger_entry WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> row.get(0, String.class))
			.one()
			.blockOptional(Duration.ofSeconds(10));
	}

	private double counted(String outcome, String reason) {
		var counter = this.meters.find("tollgate.admission.decisions")
			.tag("outcome", outcome)
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
