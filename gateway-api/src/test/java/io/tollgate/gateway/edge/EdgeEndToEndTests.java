package io.tollgate.gateway.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge against the real Netty server, through raw sockets: errors raised before the
 * application come in the Anthropic envelope with a {@code request-id}; idle, slow and
 * half-sent connections are closed; requests that could not be stored or mean two things
 * are refused before any upstream sees them.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.gateway.edge.idle-timeout=2s", "tollgate.gateway.edge.head-timeout=1s",
				"tollgate.gateway.edge.body-read-timeout=1s", "tollgate.gateway.edge.body-timeout=3s" })
@ExtendWith(OutputCaptureExtension.class)
class EdgeEndToEndTests {

	static final String KEY = "tg-edge-key-000000000000000000000000000";

	static final String CREDENTIAL = "sk-ant-edge";

	static final FakeUpstream fake = FakeUpstream.start();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Longer than any timeout the test configures, short enough to fail fast. */
	private static final Duration BOUND = Duration.ofSeconds(6);

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry registry) throws IOException {
		Path dataDir = Files.createTempDirectory("tollgate-edge");
		Path bootstrap = dataDir.resolve("bootstrap.yml");
		Files.writeString(bootstrap, """
				tenants:
				  - name: edge
				    balance: "100"
				accounts:
				  - name: edge-account
				    platform: anthropic
				    base-url: %s
				    credential: %s
				groups:
				  - name: edge
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-*-with-a-suffix-the-group-adds"
				    accounts: [edge-account]
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				keys:
				  - name: edge
				    tenant: edge
				    group: edge
				    key: %s
				""".formatted(fake.baseUrl(), CREDENTIAL, KEY));
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", bootstrap::toString);
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	@AfterAll
	static void stop() {
		fake.close();
	}

	private RawHttp connect() {
		return RawHttp.connect(this.port);
	}

	/** The answer is the Anthropic envelope, its id the {@code request-id} header. */
	private static JsonNode assertEnvelope(RawHttp.Response response, int status, String type) {
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.header("content-type")).startsWith("application/json");
		String id = response.header("request-id");
		assertThat(id).startsWith("req_");
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("type").asString()).isEqualTo("error");
		assertThat(body.get("error").get("type").asString()).isEqualTo(type);
		assertThat(body.get("request_id").asString()).isEqualTo(id);
		assertThat(body.get("error").get("message").asString()).doesNotContain("Exception")
			.doesNotContain("io.netty")
			.doesNotContain("reactor.")
			.doesNotContain("tools.jackson");
		return body;
	}

	private static String message(JsonNode envelope) {
		return envelope.get("error").get("message").asString();
	}

	@Test
	void answersHeadersTooLargeWith431InTheEnvelope() {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http
				.send("GET /v1/models HTTP/1.1\r\nHost: t\r\nx-big: " + "a".repeat(20_000) + "\r\n\r\n")
				.read();
			assertEnvelope(response, 431, "invalid_request_error");
			assertThat(http.closedWithin(BOUND)).isTrue();
		}
	}

	@Test
	void answersATooLongUriWith414InTheEnvelope() {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http
				.send("GET /v1/models?after_id=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: t\r\n\r\n")
				.read();
			assertEnvelope(response, 414, "invalid_request_error");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "HTTP/1.2", "HTTP/2.0", "HTTP/3.0" })
	void answersUnsupportedHttpVersionsWith505(String version) {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http.send("GET / " + version + "\r\nHost: t\r\n\r\n").read();
			assertEnvelope(response, 505, "invalid_request_error");
		}
	}

	@Test
	void refusesARepeatedContentLength() {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http
				.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
						+ "\r\ncontent-type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}")
				.read();
			JsonNode envelope = assertEnvelope(response, 400, "invalid_request_error");
			assertThat(message(envelope)).contains("Content-Length");
		}
		assertThat(fake.requests()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v1/mod%zzels", "/v1/models?after_id=%G1", "/v1/models/%" })
	void refusesMalformedPercentEncoding(String target) {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http
				.send("GET " + target + " HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY + "\r\n\r\n")
				.read();
			assertEnvelope(response, 400, "invalid_request_error");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST //v1/messages", "GET /v1/models;jsessionid=abc", "GET /admin;jsessionid=abc",
			"GET /v1/%2e%2e/admin", "POST /v1/messages/..;/count_tokens" })
	void answersFirewallRejectionsInTheEnvelope(String requestLine) {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http
				.send(requestLine + " HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
						+ "\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
				.read();
			assertEnvelope(response, 400, "invalid_request_error");
		}
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void closesAnIdleKeepAliveConnection() {
		try (RawHttp http = connect()) {
			RawHttp.Response response = http.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
			assertThat(response.status()).isEqualTo(200);
			assertThat(http.closedWithin(BOUND)).isTrue();
		}
	}

	@Test
	void closesAConnectionThatNeverSendsAnything() {
		try (RawHttp http = connect()) {
			assertThat(http.closedWithin(BOUND)).isTrue();
		}
	}

	@Test
	void answers408ToAHeadTrickledSlowerThanTheHeadTimeout() {
		try (RawHttp http = connect()) {
			http.send("GET /v1/models HTTP/1.1\r\nHost: t\r\n");
			byte[] received = http.trickleUntilClosed("x-slow: a\r\n", Duration.ofMillis(200), BOUND);
			assertThat(received).as("the server kept the trickled head open").isNotNull();
			String answer = new String(received, StandardCharsets.UTF_8);
			assertThat(answer).startsWith("HTTP/1.1 408")
				.contains("request-id: req_")
				.contains("\"type\":\"error\"")
				.contains("timeout_error");
		}
	}

	@Test
	void closesAConnectionWhoseBodyStalls(CapturedOutput output) {
		long timedOut = count("408");
		try (RawHttp http = connect()) {
			http.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
					+ "\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"model\":");
			assertThat(http.closedWithin(BOUND)).isTrue();
		}
		assertThat(fake.requests()).isEmpty();
		await().atMost(BOUND).until(() -> count("408") > timedOut);
		assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("ReadTimeoutException");
	}

	@Test
	void closesAConnectionWhoseBodyIsTrickledPastTheBodyTimeout(CapturedOutput output) {
		long timedOut = count("408");
		try (RawHttp http = connect()) {
			http.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
					+ "\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{\"model\":");
			assertThat(http.trickleUntilClosed(" ", Duration.ofMillis(200), Duration.ofSeconds(10)))
				.as("the server kept the trickled body open")
				.isNotNull();
		}
		assertThat(fake.requests()).isEmpty();
		await().atMost(BOUND).until(() -> count("408") > timedOut);
		assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("RequestTimeoutException");
	}

	@Test
	void aClientHangingUpMidBodyIsNeitherAnErrorLogNorA500(CapturedOutput output) {
		for (int i = 0; i < 3; i++) {
			try (RawHttp http = connect()) {
				http.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
						+ "\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"model\":\"claude-x\"");
			}
		}
		await().atMost(BOUND).until(() -> count("499") >= 3);
		assertThat(count("500")).isZero();
		assertThat(output.getAll()).doesNotContain("AbortedException")
			.doesNotContain("PrematureCloseException")
			.doesNotContain(" ERROR ");
	}

	private long count(String status) {
		// Spring's http.server.requests skips the Messages endpoints while traces are not
		// exported: Tollgate's own count by status stands in for it
		assertThat(this.meters.find("http.server.requests").tag("uri", "/v1/messages").timers()).isEmpty();
		return (long) this.meters.find("tollgate.responses")
			.tag("status", status)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private RawHttp.Response post(String body, String... extraHeaders) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return postBytes(bytes, extraHeaders);
	}

	private RawHttp.Response postBytes(byte[] bytes, String... extraHeaders) {
		try (RawHttp http = connect()) {
			StringBuilder head = new StringBuilder("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
					+ "\r\ncontent-type: application/json\r\ncontent-length: " + bytes.length + "\r\n");
			for (String header : extraHeaders) {
				head.append(header).append("\r\n");
			}
			http.send(head.append("\r\n").toString());
			return http.send(bytes).read();
		}
	}

	@Test
	void refusesALoneSurrogateBeforeAnyUpstreamSeesIt() {
		JsonNode envelope = assertEnvelope(post(
				"{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800\"}]}"),
				400, "invalid_request_error");
		assertThat(message(envelope)).contains("lone surrogate");
		byte[] raw = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a?\"}]}"
			.getBytes(StandardCharsets.UTF_8);
		raw[raw.length - 5] = (byte) 0xED;
		assertEnvelope(postBytes(raw), 400, "invalid_request_error");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesDuplicateMembers() {
		JsonNode envelope = assertEnvelope(post(
				"{\"model\":\"claude-opus\",\"model\":\"claude-haiku\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error");
		assertThat(message(envelope)).startsWith("model: Duplicate member");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesAModelThatWouldNotFitTheUsageRecord() {
		String model = "claude-" + "x".repeat(201);
		assertThat(message(assertEnvelope(
				post("{\"model\":\"" + model
						+ "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error")))
			.isEqualTo("model: String should have at most 200 characters");
		assertThat(message(assertEnvelope(post(
				"{\"model\":\"claude-\\u0000\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error")))
			.isEqualTo("model: String should not contain control characters");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesAModelWhoseGlobMappingWouldNotFitTheUsageRecord() {
		// fits by itself; the group's glob target adds a suffix that takes it past 200
		String model = "claude-" + "x".repeat(180);
		JsonNode envelope = assertEnvelope(
				post("{\"model\":\"" + model
						+ "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error");
		assertThat(message(envelope))
			.isEqualTo("model (as mapped by the group): String should have at most 200 characters");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesAnEmptyOnlyList() {
		JsonNode envelope = assertEnvelope(post(
				"{\"model\":\"claude-x\",\"max_tokens\":5,\"gateway\":{\"only\":[]},\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error");
		assertThat(message(envelope)).isEqualTo("gateway.only: List should have at least 1 item");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesAnOversizedSessionHeader() {
		JsonNode envelope = assertEnvelope(
				post("{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
						"x-claude-code-session-id: " + "s".repeat(300)),
				400, "invalid_request_error");
		assertThat(message(envelope)).isEqualTo("x-claude-code-session-id: String should have at most 256 characters");
	}

	@Test
	void takesMaxTokensWrittenAsAnIntegralFloat() {
		fake.script(CREDENTIAL).reply(AnthropicReply.create().text("ok"));
		RawHttp.Response response = post(
				"{\"model\":\"claude-x\",\"max_tokens\":1024.0,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(fake.lastRequest().bodyText()).contains("\"max_tokens\":1024.0");
		assertThat(message(assertEnvelope(post(
				"{\"model\":\"claude-x\",\"max_tokens\":1024.5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"),
				400, "invalid_request_error")))
			.isEqualTo("max_tokens: Input should be a valid integer");
	}

	@Test
	void aStreamCutByTheUpstreamEndsWithAnErrorThatNamesNoException() {
		fake.script(CREDENTIAL).dropConnectionAfterEvents(3);
		try (RawHttp http = connect()) {
			byte[] body = "{\"model\":\"claude-x\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"
				.getBytes(StandardCharsets.UTF_8);
			http.send("POST /v1/messages HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY
					+ "\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: " + body.length
					+ "\r\n\r\n");
			byte[] received = http.send(body).trickleUntilClosed("", Duration.ofMillis(200), BOUND);
			String stream = new String(received, StandardCharsets.UTF_8);
			assertThat(stream).contains("event: error")
				.contains("The upstream closed the connection before the stream ended")
				.doesNotContain("Exception");
		}
	}

	@Test
	void neverQuotesTheParser() {
		JsonNode envelope = assertEnvelope(post("{\"model\":\"claude-x\",,}"), 400, "invalid_request_error");
		assertThat(message(envelope)).startsWith("Request body is not valid JSON")
			.doesNotContain("Unexpected character");
		assertThat(message(assertEnvelope(post("{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":{}}"), 400,
				"invalid_request_error")))
			.isEqualTo("messages: Input should be a valid list");
	}

}
