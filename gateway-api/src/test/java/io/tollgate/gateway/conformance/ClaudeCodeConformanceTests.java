package io.tollgate.gateway.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays real Claude Code 2.1 request shapes ({@code src/test/resources/claude-code})
 * through both platforms, an {@code anthropic} group and an {@code openai} group, against
 * the fake upstream: each shape states the request the upstream must receive and the
 * answer the client must see. A new Claude Code release is one more fixture file.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ClaudeCodeConformanceTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	@Autowired
	MeterRegistry meters;

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

	static Stream<Arguments> shapes() {
		List<Arguments> shapes = new ArrayList<>();
		for (Path file : fixtures()) {
			for (String platform : List.of("anthropic", "openai")) {
				shapes.add(Arguments.of(file.getFileName().toString(), platform));
			}
		}
		return shapes.stream();
	}

	@ParameterizedTest(name = "{0} through {1}")
	@MethodSource("shapes")
	void replaysTheShapeThroughThePlatform(String fixture, String platform) {
		JsonNode shape = read(fixture);
		JsonNode request = shape.get("request");
		JsonNode expected = shape.get(platform);
		String body = JSON.writeValueAsString(request.get("body"));
		WebTestClient.RequestBodySpec spec = this.http.post()
			.uri(request.get("path").asString())
			.header("x-api-key", platform.equals("anthropic") ? GatewayTestSupport.KEY : GatewayTestSupport.OPENAI_KEY)
			.contentType(MediaType.APPLICATION_JSON);
		for (Map.Entry<String, JsonNode> header : request.get("headers").properties()) {
			spec = spec.header(header.getKey(), header.getValue().asString());
		}
		Map<String, Double> droppedBefore = dropped();
		EntityExchangeResult<byte[]> result = spec.bodyValue(body).exchange().expectBody().returnResult();
		JsonNode answer = expected.get("answer");
		assertThat(result.getStatus().value()).as("status of %s", new String(bytes(result)))
			.isEqualTo(answer.get("status").asInt());
		JsonNode upstream = expected.get("upstream");
		if (upstream.isNull()) {
			assertThat(fake.requests()).isEmpty();
		}
		else {
			assertThat(fake.requests()).hasSize(1);
			RecordedRequest received = fake.lastRequest();
			assertThat(received.uri()).isEqualTo(upstream.get("uri").asString());
			if (platform.equals("anthropic")) {
				checkPassthrough(received, upstream, request, body);
			}
			else {
				checkConversion(received, upstream);
			}
		}
		checkAnswer(result, answer, request.get("body").get("model").asString());
		if (answer.has("dropped")) {
			Map<String, Double> droppedAfter = dropped();
			for (JsonNode field : answer.get("dropped")) {
				assertThat(droppedAfter.getOrDefault(field.asString(), 0.0)
						- droppedBefore.getOrDefault(field.asString(), 0.0))
					.as("dropped %s counted", field.asString())
					.isEqualTo(1.0);
			}
		}
	}

	private static void checkPassthrough(RecordedRequest received, JsonNode upstream, JsonNode request, String body) {
		String requested = request.get("body").get("model").asString();
		String forwarded = body.replace("\"model\":" + JSON.writeValueAsString(requested),
				"\"model\":" + JSON.writeValueAsString(upstream.get("model").asString()));
		assertThat(received.bodyText()).as("the client's bytes, but for the model").isEqualTo(forwarded);
		for (Map.Entry<String, JsonNode> header : upstream.get("headers").properties()) {
			assertThat(received.headerValues(header.getKey())).as(header.getKey())
				.containsExactly(header.getValue().asString());
		}
		assertThat(received.headers()).doesNotContainKeys("authorization", "cookie");
		assertThat(received.credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_A);
	}

	private static void checkConversion(RecordedRequest received, JsonNode upstream) {
		JsonNode converted = received.json();
		for (Map.Entry<String, JsonNode> expected : upstream.get("equals").properties()) {
			assertThat(converted.at(expected.getKey())).as("%s in %s", expected.getKey(), converted)
				.isEqualTo(expected.getValue());
		}
		for (JsonNode pointer : upstream.get("absent")) {
			assertThat(converted.at(pointer.asString()).isMissingNode()).as("%s absent from %s", pointer, converted)
				.isTrue();
		}
	}

	private static void checkAnswer(EntityExchangeResult<byte[]> result, JsonNode answer, String requestedModel) {
		String text = new String(bytes(result));
		if (answer.has("headers")) {
			for (Map.Entry<String, JsonNode> header : answer.get("headers").properties()) {
				assertThat(result.getResponseHeaders().getFirst(header.getKey())).as(header.getKey())
					.isEqualTo(header.getValue().asString());
			}
		}
		if (answer.has("numbers")) {
			JsonNode body = JSON.readTree(text);
			for (JsonNode pointer : answer.get("numbers")) {
				assertThat(body.at(pointer.asString()).isIntegralNumber()).as("%s in %s", pointer, text).isTrue();
				assertThat(body.at(pointer.asString()).asLong()).isPositive();
			}
		}
		if (answer.has("events")) {
			assertThat(result.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM))
				.isTrue();
			List<String> events = text.lines()
				.filter((line) -> line.startsWith("event: "))
				.map((line) -> line.substring(7))
				.filter((event) -> !event.equals("ping"))
				.toList();
			JsonNode expected = answer.get("events");
			assertThat(events).first().isEqualTo(expected.get(0).asString());
			assertThat(events).last().isEqualTo(expected.get(expected.size() - 1).asString());
			assertThat(events).doesNotContain("error");
			String start = text.lines()
				.filter((line) -> line.startsWith("data: ") && line.contains("\"message_start\""))
				.findFirst()
				.orElseThrow();
			assertThat(JSON.readTree(start.substring(6)).at("/message/model").asString())
				.as("the model the client asked for")
				.isEqualTo(requestedModel);
		}
		if (answer.has("equals")) {
			JsonNode body = JSON.readTree(text);
			for (Map.Entry<String, JsonNode> expected : answer.get("equals").properties()) {
				assertThat(body.at(expected.getKey())).as("%s in %s", expected.getKey(), text)
					.isEqualTo(expected.getValue());
			}
		}
	}

	@Test
	void countsBetasByNameAndUnknownOnesAsOtherSoANewReleaseIsNoticed() {
		double unknownBefore = count("tollgate.requests.unknown_beta", "platform", "anthropic");
		double knownBefore = count("tollgate.requests.beta", "beta", "claude-code-20250219");
		double otherBefore = count("tollgate.requests.beta", "beta", "other");
		replaysTheShapeThroughThePlatform("new-release-unknown-beta-and-field.json", "anthropic");
		assertThat(count("tollgate.requests.unknown_beta", "platform", "anthropic") - unknownBefore).isEqualTo(1.0);
		assertThat(count("tollgate.requests.beta", "beta", "claude-code-20250219") - knownBefore).isEqualTo(1.0);
		assertThat(count("tollgate.requests.beta", "beta", "other") - otherBefore).isEqualTo(1.0);
		assertThat(this.meters.find("tollgate.requests.beta").tag("beta", "brand-new-capability-2027-01-01").counter())
			.as("unknown names never become labels")
			.isNull();
	}

	private double count(String name, String tag, String value) {
		return this.meters.find(name).tag(tag, value).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private Map<String, Double> dropped() {
		Map<String, Double> counts = new java.util.HashMap<>();
		this.meters.find("tollgate.requests.dropped_field")
			.counters()
			.forEach((counter) -> counts.merge(counter.getId().getTag("field"), counter.count(), Double::sum));
		return counts;
	}

	private static byte[] bytes(EntityExchangeResult<byte[]> result) {
		return (result.getResponseBody() != null) ? result.getResponseBody() : new byte[0];
	}

	private static JsonNode read(String fixture) {
		try {
			return JSON.readTree(Files.readString(directory().resolve(fixture)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> fixtures() {
		try (Stream<Path> files = Files.list(directory())) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path directory() {
		try {
			return Path.of(ClaudeCodeConformanceTests.class.getResource("/claude-code").toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
