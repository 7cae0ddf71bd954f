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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A billed {@code /v1/messages} call end to end: the official Anthropic Java SDK as the
 * client, Tollgate, and a fake Anthropic upstream; the usage record checked in the
 * database. Run on H2 and on PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class MessagesEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
		.model("claude-x")
		.maxTokens(256)
		.addUserMessage("Say hello")
		.build();

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	AnthropicClient client;

	WebTestClient http;

	@Autowired
	AccountHealthBoard health;

	@BeforeEach
	void connect() {
		fake.reset();
		GatewayTestSupport.resetHealth(this.health);
		this.client = client(GatewayTestSupport.KEY);
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@AfterAll
	static void stopFake() {
		fake.reset();
	}

	AnthropicClient client(String key) {
		return AnthropicOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.apiKey(key)
			.maxRetries(0)
			.build();
	}

	@Test
	void answersAWholeMessageAndBillsItOnce() {
		fake.script(GatewayTestSupport.CREDENTIAL_A)
			.reply(AnthropicReply.create()
				.text("Hello", " there")
				.inputTokens(1000)
				.outputTokens(2000)
				.cacheWrite(100, 200)
				.cacheRead(3000));
		HttpResponseFor<Message> response = this.client.messages().withRawResponse().create(PARAMS);
		Message message = response.parse();
		assertThat(message.content()).singleElement()
			.satisfies((block) -> assertThat(block.asText().text()).isEqualTo("Hello there"));
		assertThat(message.model().asString()).isEqualTo("claude-x");
		String requestId = response.requestId().orElseThrow();
		assertThat(requestId).startsWith("req_");

		RecordedRequest upstream = fake.lastRequest();
		assertThat(upstream.path()).isEqualTo("/v1/messages");
		assertThat(upstream.credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_A);
		assertThat(upstream.headerValues("anthropic-version")).singleElement().asString().doesNotContain(",");
		assertThat(upstream.json().get("model").asString()).isEqualTo("claude-sonnet-4-5");

		Map<String, Object> usage = awaitUsage(requestId);
		assertThat(usage).containsEntry("requested_model", "claude-x")
			.containsEntry("upstream_model", "claude-sonnet-4-5")
			.containsEntry("outcome", "ok")
			.containsEntry("stream", false);
		assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(1000);
		assertThat(((Number) usage.get("output_tokens")).longValue()).isEqualTo(2000);
		assertThat(((Number) usage.get("cache_creation_5m_tokens")).longValue()).isEqualTo(100);
		assertThat(((Number) usage.get("cache_creation_1h_tokens")).longValue()).isEqualTo(200);
		assertThat(((Number) usage.get("cache_read_tokens")).longValue()).isEqualTo(3000);
		// 1000*3 + 2000*15 + 100*3.75 + 200*6 + 3000*0.30 = 35475 per million
		assertThat((BigDecimal) usage.get("charged_cost")).isEqualByComparingTo("0.035475");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id = '" + requestId + "'"))
						.isEqualTo(1));
	}

	@Test
	void streamsEventByEventAndTheSdkRebuildsTheMessage() {
		fake.script(GatewayTestSupport.CREDENTIAL_A)
			.reply(AnthropicReply.create()
				.thinking("c2ln", "Let me ", "think.")
				.text("Hel", "lo")
				.inputTokens(42)
				.outputTokens(7));
		Message streamed;
		String requestId;
		try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> response = this.client.messages()
			.withRawResponse()
			.createStreaming(PARAMS)) {
			requestId = response.requestId().orElseThrow();
			MessageAccumulator accumulator = MessageAccumulator.create();
			try (StreamResponse<RawMessageStreamEvent> stream = response.parse()) {
				stream.stream().forEach(accumulator::accumulate);
			}
			streamed = accumulator.message();
		}
		assertThat(streamed.model().asString()).isEqualTo("claude-x");
		assertThat(streamed.content()).hasSize(2);
		assertThat(streamed.content().get(1).asText().text()).isEqualTo("Hello");
		assertThat(streamed.usage().outputTokens()).isEqualTo(7);
		Map<String, Object> usage = awaitUsage(requestId);
		assertThat(usage).containsEntry("stream", true).containsEntry("outcome", "ok");
		assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(42);
		assertThat(((Number) usage.get("output_tokens")).longValue()).isEqualTo(7);
		assertThat(usage.get("ttft_ms")).isNotNull();
	}

	@Test
	void relaysEachEventAsItArrivesWithoutWaitingForTheRest() throws Exception {
		fake.script(GatewayTestSupport.CREDENTIAL_A).stallAfterEvents(3);
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-x\",\"max_tokens\":5,\"stream\":true,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
		HttpResponse<InputStream> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
			.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> lines = new ArrayList<>();
		ExecutorService reader = Executors.newSingleThreadExecutor();
		try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			Future<?> events = reader.submit(() -> {
				String line;
				while ((line = body.readLine()) != null) {
					lines.add(line);
					if (lines.stream().filter((l) -> l.startsWith("event: ")).count() == 3) {
						return null;
					}
				}
				return null;
			});
			// the upstream has sent three events and stays silent: they must arrive
			// anyway
			events.get(10, TimeUnit.SECONDS);
		}
		finally {
			reader.shutdownNow();
			client.shutdownNow();
		}
		assertThat(lines).filteredOn((line) -> line.startsWith("event: "))
			.containsExactly("event: message_start", "event: ping", "event: content_block_start");
		assertThat(lines).filteredOn((line) -> line.startsWith("data: {\"type\":\"message_start\""))
			.singleElement()
			.asString()
			.contains("\"model\":\"claude-x\"");
	}

	@Test
	void forwardsTheBodyByteForByteButForTheModelAndGatewayOptions() {
		String body = "{\"max_tokens\": 64, \"model\" : \"exact-model\",\n \"system\":[{\"type\":\"text\",\"text\":\"x-attribution\"},"
				+ "{\"type\":\"text\",\"text\":\"You are terse.\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],"
				+ " \"gateway\": {\"zdr\": false}, \"future_field\": {\"nested\": [1, 2.50, \"\\u00e9\"]},"
				+ " \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
		this.http.post()
			.uri("/v1/messages?beta=true")
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("anthropic-version", "2023-06-01")
			.header("anthropic-beta", "prompt-caching-2024-07-31")
			.header("anthropic-beta", "some-future-beta")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.exists("request-id");
		RecordedRequest upstream = fake.lastRequest();
		String expected = body.replace("\"exact-model\"", "\"claude-haiku-4-5\"")
			.replace(" \"gateway\": {\"zdr\": false},", "");
		assertThat(new String(upstream.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
		assertThat(upstream.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31,some-future-beta");
	}

	@Test
	void defaultsTheAnthropicVersionWhenTheClientSendsNone() {
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(fake.lastRequest().headerValues("anthropic-version")).containsExactly("2023-06-01");
	}

	@Test
	void acceptsTheKeyAsABearerToken() {
		this.http.post()
			.uri("/v1/messages")
			.header("authorization", "Bearer " + GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void refusesMissingAndUnknownKeysWithAuthenticationErrors() {
		AnthropicClient wrong = client("tg-not-a-key");
		assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> wrong.messages().create(PARAMS))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("invalid x-api-key"));
		wrong.close();
		this.http.post()
			.uri("/v1/messages")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.exists("request-id")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("authentication_error")
			.jsonPath("$.error.message")
			.isEqualTo("x-api-key header is required")
			.jsonPath("$.request_id")
			.value((id) -> assertThat((String) id).startsWith("req_"));
	}

	@Test
	void refusesMalformedBodiesBeforeAnyUpstreamCall() {
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"messages\":[]}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.valueEquals("x-should-retry", "false")
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.message")
			.isEqualTo("max_tokens: Field required");
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void answersUnknownRoutesAndModelsWithNotFound() {
		this.http.get()
			.uri("/v2/nothing")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
		MessageCreateParams unknown = PARAMS.toBuilder().model("gpt-4o").build();
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.client.messages().create(unknown))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("model: gpt-4o"));
	}

	@Test
	void passesUpstreamClientErrorsOnUnchanged() {
		fake.script(GatewayTestSupport.CREDENTIAL_A)
			.error(400, "invalid_request_error", "messages.0: upstream says no");
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> this.client.messages().create(PARAMS))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("messages.0: upstream says no"));
	}

	@Test
	void answersAnAnthropicShaped5xxWhenTheUpstreamIsUnreachable() {
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.DEAD_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange()
			.expectStatus()
			.value((status) -> assertThat(status).isGreaterThanOrEqualTo(500))
			.expectHeader()
			.exists("request-id")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("overloaded_error");
	}

	@Test
	void failsOverToTheNextAccountBeforeTheFirstByte() {
		fake.script(GatewayTestSupport.CREDENTIAL_A).overloaded();
		AnthropicClient pool = client(GatewayTestSupport.FAILOVER_KEY);
		Message message = pool.messages().create(PARAMS);
		pool.close();
		assertThat(message.content()).isNotEmpty();
		assertThat(fake.requests()).extracting(RecordedRequest::credential)
			.containsExactly(GatewayTestSupport.CREDENTIAL_A, GatewayTestSupport.CREDENTIAL_B);
	}

	private Map<String, Object> awaitUsage(String requestId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
				.bind("id", requestId)
				.fetch()
				.one()
				.block(Duration.ofSeconds(5)), (row) -> row != null);
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
	}

}
