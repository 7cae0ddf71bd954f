package io.tollgate.gateway.routing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.InternalServerException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.Gate;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Routing and resilience on one node, end to end: the official Anthropic Java SDK (or a
 * plain HTTP client where the raw stream matters), Tollgate, and a fake upstream whose
 * accounts fail on demand.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.gateway.first-byte-timeout=5s", "tollgate.gateway.idle-timeout=1s",
				"tollgate.gateway.ping-interval=200ms", "tollgate.routing.account-wait=500ms",
				"tollgate.routing.breaker.open-for=1s", "tollgate.routing.breaker.minimum-calls=4",
				"tollgate.routing.health-refresh=100ms" })
class RoutingEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	@Autowired
	Directory directory;

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

	private AnthropicClient client(String key) {
		return AnthropicOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.apiKey(key)
			.maxRetries(0)
			.build();
	}

	private static MessageCreateParams.Builder params(String text) {
		return MessageCreateParams.builder().model("claude-x").maxTokens(64).addUserMessage(text);
	}

	private static MessageCreateParams preferring(String account, String text) {
		return params(text).putAdditionalBodyProperty("gateway", JsonValue.from(Map.of("order", List.of(account))))
			.build();
	}

	private static MessageCreateParams inSession(String session, String text) {
		return params(text)
			.metadata(Metadata.builder().userId("{\"device_id\":\"d\",\"session_id\":\"" + session + "\"}").build())
			.build();
	}

	private String lastCredential() {
		return fake.lastRequest().credential();
	}

	private AccountHealth healthOf(String credential) {
		long id = accountId(credential);
		return this.health.all()
			.block()
			.stream()
			.filter((health) -> health.accountId() == id)
			.findFirst()
			.orElseThrow();
	}

	private long accountId(String credential) {
		return GatewayTestSupport.accountId(this.directory, switch (credential) {
			case GatewayTestSupport.CREDENTIAL_ROUTE_A -> "route-a";
			case GatewayTestSupport.CREDENTIAL_ROUTE_B -> "route-b";
			default -> throw new IllegalArgumentException(credential);
		});
	}

	@Test
	void failsOverBeforeTheFirstByteAndCoolsTheOverloadedAccountDown() {
		fake.script().overloaded();
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			Message message = client.get().messages().create(params("Hello").build());
			assertThat(message.content()).isNotEmpty();
		}
		List<RecordedRequest> requests = fake.requests();
		assertThat(requests).hasSize(2);
		String overloaded = requests.get(0).credential();
		assertThat(requests.get(1).credential()).isNotEqualTo(overloaded);
		AccountHealth health = healthOf(overloaded);
		assertThat(health.state()).isEqualTo("cooling_down");
		assertThat(health.lastError()).isEqualTo("HTTP 529 overloaded_error");
		assertThat(health.cooldownUntil()).isNotNull();
	}

	@Test
	void neverFailsOverOnceTheStreamStartedButEndsItWithAnErrorEvent() throws Exception {
		fake.script().dropConnectionAfterEvents(3);
		String stream = postRaw(GatewayTestSupport.ROUTING_KEY,
				"{\"model\":\"claude-x\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertThat(stream).contains("event: message_start").contains("event: error");
		assertThat(stream).doesNotContain("event: message_stop");
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void honoursACooldownThenTriesTheAccountAgain() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).rateLimited(Duration.ofSeconds(3));
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			client.get().messages().create(preferring("route-a", "one"));
			assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
			client.get().messages().create(preferring("route-a", "two"));
			assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
			assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_A)).hasSize(1);
			assertThat(healthOf(GatewayTestSupport.CREDENTIAL_ROUTE_A).state()).isEqualTo("cooling_down");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> healthOf(GatewayTestSupport.CREDENTIAL_ROUTE_A).state().equals("healthy"));
			client.get().messages().create(preferring("route-a", "three"));
			assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_A);
		}
	}

	@Test
	void opensTheBreakerOfAFailingAccountAndClosesItOnceItRecovers() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).error(500, "api_error", "Internal server error").always();
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			for (int i = 0; i < 6; i++) {
				client.get().messages().create(preferring("route-a", "try " + i));
				assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
			}
			// four failures open the breaker: the last two requests did not go there
			assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_A)).hasSize(4);
			AccountHealth open = healthOf(GatewayTestSupport.CREDENTIAL_ROUTE_A);
			assertThat(open.state()).isEqualTo("circuit_open");
			assertThat(open.lastError()).isEqualTo("HTTP 500 api_error");

			fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).clear();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
				client.get().messages().create(preferring("route-a", "probe"));
				return lastCredential().equals(GatewayTestSupport.CREDENTIAL_ROUTE_A);
			});
			assertThat(healthOf(GatewayTestSupport.CREDENTIAL_ROUTE_A).state()).isEqualTo("healthy");
			client.get().messages().create(preferring("route-a", "after"));
			assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_A);
		}
	}

	@Test
	void keepsAConversationOnItsAccountAndMovesItWhenTheAccountFails() {
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			client.get().messages().create(inSession("conv-1", "first"));
			String bound = lastCredential();
			for (int i = 0; i < 5; i++) {
				client.get().messages().create(inSession("conv-1", "turn " + i));
				assertThat(lastCredential()).isEqualTo(bound);
			}
			String other = bound.equals(GatewayTestSupport.CREDENTIAL_ROUTE_A) ? GatewayTestSupport.CREDENTIAL_ROUTE_B
					: GatewayTestSupport.CREDENTIAL_ROUTE_A;
			fake.script(bound).invalidCredential();
			client.get().messages().create(inSession("conv-1", "moved"));
			assertThat(lastCredential()).isEqualTo(other);
			for (int i = 0; i < 3; i++) {
				client.get().messages().create(inSession("conv-1", "still moved " + i));
				assertThat(lastCredential()).isEqualTo(other);
			}
		}
	}

	@Test
	void spreadsConversationsWithoutASessionOverTheAccountsOfATier() {
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			for (int i = 0; i < 6; i++) {
				client.get().messages().create(params("conversation " + i).build());
			}
		}
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_A)).hasSize(3);
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_B)).hasSize(3);
	}

	@Test
	void bindsAConversationByItsOpeningWhenItNamesNoSession() {
		String body = "{\"model\":\"claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"same start\"}%s]}";
		postOk(GatewayTestSupport.ROUTING_KEY, body.formatted(""));
		String bound = lastCredential();
		for (int i = 0; i < 4; i++) {
			postOk(GatewayTestSupport.ROUTING_KEY, body.formatted(
					",{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"more " + i + "\"}"));
			assertThat(lastCredential()).isEqualTo(bound);
		}
	}

	@Test
	void holdsAnAccountsConcurrencyLimitUnderParallelRequests() {
		Gate gate = fake.hold();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (int i = 0; i < 4; i++) {
			responses.add(client.sendAsync(request(GatewayTestSupport.LIMITED_KEY,
					"{\"model\":\"claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"p" + i
							+ "\"}]}"),
					HttpResponse.BodyHandlers.ofString()));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 2);
		// the other two wait for room, then are answered 529
		List<Integer> statuses = new ArrayList<>();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> responses.stream().filter(CompletableFuture::isDone).count() == 2);
		assertThat(gate.waiting()).isEqualTo(2);
		gate.release();
		responses.forEach((response) -> statuses.add(response.join().statusCode()));
		assertThat(statuses).containsExactlyInAnyOrder(200, 200, 529, 529);
		assertThat(responses.stream().map(CompletableFuture::join).filter((r) -> r.statusCode() == 529))
			.allSatisfy((r) -> {
				assertThat(r.body()).contains("overloaded_error").contains("concurrency limit");
				assertThat(r.headers().firstValue("retry-after")).hasValue("1");
			});
		assertThat(fake.maxInFlight()).isEqualTo(2);
		client.shutdownNow();
		// every permit came back
		for (int i = 0; i < 3; i++) {
			postOk(GatewayTestSupport.LIMITED_KEY,
					"{\"model\":\"claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"after\"}]}");
		}
	}

	@Test
	void countsTokensWithoutAConcurrencyPermitWhileTheAccountIsFull() {
		Gate gate = new Gate();
		fake.script(GatewayTestSupport.CREDENTIAL_LIMITED).normal().heldBy(gate).times(2);
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			responses.add(client.sendAsync(request(GatewayTestSupport.LIMITED_KEY,
					"{\"model\":\"claude-x\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"held\"}]}"),
					HttpResponse.BodyHandlers.ofString()));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 2);
		this.http.post()
			.uri("/v1/messages/count_tokens")
			.header("x-api-key", GatewayTestSupport.LIMITED_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.input_tokens")
			.isNumber();
		assertThat(fake.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
		gate.release();
		responses.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		client.shutdownNow();
	}

	@Test
	void pingsWhileAStartedStreamIsSilentAndEndsItWithATimeoutError() throws Exception {
		fake.script().stallAfterEvents(2);
		String stream = postRaw(GatewayTestSupport.KEY,
				"{\"model\":\"claude-x\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		List<String> events = stream.lines().filter((line) -> line.startsWith("event: ")).toList();
		assertThat(events.get(0)).isEqualTo("event: message_start");
		assertThat(events.subList(2, events.size() - 1)).hasSizeGreaterThanOrEqualTo(2)
			.allMatch((event) -> event.equals("event: ping"));
		assertThat(events.get(events.size() - 1)).isEqualTo("event: error");
		assertThat(stream).contains("\"type\":\"timeout_error\"");
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void pingsAndTimesOutAConvertedOpenAiStreamToo() throws Exception {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).stallAfterEvents(2);
		String stream = postRaw(GatewayTestSupport.OPENAI_KEY,
				"{\"model\":\"claude-x\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		List<String> events = stream.lines().filter((line) -> line.startsWith("event: ")).toList();
		assertThat(events).first().isEqualTo("event: message_start");
		assertThat(events).filteredOn("event: ping"::equals).hasSizeGreaterThanOrEqualTo(2);
		assertThat(events).last().isEqualTo("event: error");
		assertThat(stream).contains("\"type\":\"timeout_error\"");
	}

	@Test
	void coolsDownUntilTheAnthropicRateLimitReset() {
		String reset = java.time.Instant.now()
			.plusSeconds(40)
			.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
			.toString();
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A)
			.respond(429,
					Map.of("anthropic-ratelimit-input-tokens-remaining", "0", "anthropic-ratelimit-input-tokens-reset",
							reset),
					"{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			client.get().messages().create(preferring("route-a", "one"));
		}
		assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
		AccountHealth health = healthOf(GatewayTestSupport.CREDENTIAL_ROUTE_A);
		assertThat(health.state()).isEqualTo("cooling_down");
		assertThat(health.cooldownUntil()).isBetween(java.time.Instant.parse(reset).minusSeconds(1),
				java.time.Instant.parse(reset).plusSeconds(1));
	}

	@Test
	void answers504WhenNoAccountAnswersInTimeBeforeTheStream() {
		fake.script().delayFirstByte(Duration.ofSeconds(8));
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"model\":\"claude-x\",\"max_tokens\":8,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}")
			.exchange()
			.expectStatus()
			.isEqualTo(504)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("timeout_error");
	}

	@Test
	void routesImagesAndThinkingOnlyToAccountsThatTakeThem() {
		String image = "{\"model\":\"claude-x\",\"max_tokens\":8,%s\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
				+ "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}]}";
		for (int i = 0; i < 3; i++) {
			postOk(GatewayTestSupport.CAPABLE_KEY,
					image.formatted("\"metadata\":{\"user_id\":\"u_session_img" + i + "-0000-0000\"},"));
			assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_A);
		}
		postOk(GatewayTestSupport.CAPABLE_KEY,
				"{\"model\":\"claude-x\",\"max_tokens\":8,\"gateway\":{\"zdr\":true},\"messages\":[{\"role\":\"user\",\"content\":\"private\"}]}");
		assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_TEXT_ONLY);
		assertThat(fake.lastRequest().bodyText()).doesNotContain("gateway");
		postOk(GatewayTestSupport.CAPABLE_KEY,
				"{\"model\":\"claude-x\",\"max_tokens\":8,\"gateway\":{\"only\":[\"text-only\"]},\"messages\":[{\"role\":\"user\",\"content\":\"only\"}]}");
		assertThat(lastCredential()).isEqualTo(GatewayTestSupport.CREDENTIAL_TEXT_ONLY);
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.CAPABLE_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(image.formatted("\"gateway\":{\"zdr\":true},"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error");
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"max_tokens\":8,\"gateway\":{\"only\":[\"nobody\"]},"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void answersAnOverloadedErrorWhenEveryAccountKeepsFailing() {
		fake.script().overloaded().always();
		try (var client = new Closing(client(GatewayTestSupport.ROUTING_KEY))) {
			assertThatExceptionOfType(InternalServerException.class)
				.isThrownBy(() -> client.get().messages().create(params("x").build()))
				.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(529));
			assertThat(fake.requests()).hasSize(2);
			// both cool down now: nothing is sent upstream
			assertThatExceptionOfType(InternalServerException.class)
				.isThrownBy(() -> client.get().messages().create(params("y").build()))
				.satisfies((ex) -> assertThat(ex.getMessage()).contains("cooling down"))
				.satisfies((ex) -> assertThat(ex.headers().values("retry-after")).as("until the first cooldown ends")
					.singleElement()
					.satisfies((wait) -> assertThat(Long.parseLong(wait)).isBetween(1L, 600L)));
			assertThat(fake.requests()).hasSize(2);
		}
	}

	private void postOk(String key, String body) {
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private HttpRequest request(String key, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", key)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private String postRaw(String key, String body) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		try {
			HttpResponse<String> response = client.sendAsync(request(key, body), HttpResponse.BodyHandlers.ofString())
				.get(20, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		finally {
			client.shutdownNow();
		}
	}

	/** The SDK client is not {@code AutoCloseable}. */
	private record Closing(AnthropicClient get) implements AutoCloseable {

		@Override
		public void close() {
			this.get.close();
		}

	}

}
