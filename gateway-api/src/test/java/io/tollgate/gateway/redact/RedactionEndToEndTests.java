package io.tollgate.gateway.redact;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.directory.RedactionPolicy.Mode;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * PII redaction end to end: what the upstream receives under each policy and request, on
 * both platforms.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RedactionEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final String SECRET_TEXT = "Mail ann.lee@example.com, card 4111 1111 1111 1111";

	@LocalServerPort
	int port;

	@Autowired
	RedactionAdmin redaction;

	@Autowired
	Directory directory;

	@Autowired
	MeterRegistry meters;

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
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterEach
	void clearPolicies() {
		this.redaction.list()
			.flatMapIterable((all) -> all)
			.concatMap((setting) -> this.redaction.clear(setting.scope(), setting.targetId(), "test"))
			.then(this.directory.reload())
			.block(Duration.ofSeconds(10));
	}

	@AfterAll
	static void stopFake() {
		fake.reset();
	}

	@Test
	void forwardsARequestThatAsksForNothingByteForByte() {
		String body = "{\"model\":\"exact-model\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\""
				+ SECRET_TEXT + "\"}]}";
		post(GatewayTestSupport.KEY, body).expectHeader().doesNotExist(RedactionStage.HEADER);
		assertThat(upstreamBody()).isEqualTo(body.replace("exact-model", "claude-haiku-4-5"));
	}

	@Test
	void masksWhatTheRequestAsksForAndKeepsEveryOtherByte() {
		String body = "{\"model\":\"exact-model\", \"max_tokens\":64, \"gateway\":{\"redact\":[\"email\"]},"
				+ " \"messages\":[{\"role\":\"user\",\"content\":\"" + SECRET_TEXT + "\"}]}";
		double before = masked("email");
		String requestId = post(GatewayTestSupport.KEY, body).expectHeader()
			.valueEquals(RedactionStage.HEADER, "email=1")
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("request-id");
		assertThat(upstreamBody()).isEqualTo("{\"model\":\"claude-haiku-4-5\", \"max_tokens\":64,"
				+ " \"messages\":[{\"role\":\"user\",\"content\":\"Mail an***ee@ex***le.com, card 4111 1111 1111 1111\"}]}");
		assertThat(masked("email")).isEqualTo(before + 1);
		// the usage record counts what was masked, never the values
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.db.sql("SELECT redactions FROM usage_record WHERE request_id = :id")
				.bind("id", requestId)
				.map((row) -> row.get("redactions", String.class))
				.one()
				.block(Duration.ofSeconds(5))).isEqualTo("email=1"));
	}

	@Test
	void anEnforcedGroupPolicyMasksWhateverTheRequestSays() {
		setGroup("claude", new RedactionPolicy(Mode.ENFORCED, List.of("credit_card"), List.of("Project Falcon")));
		String body = "{\"model\":\"exact-model\",\"max_tokens\":64,\"gateway\":{\"redact\":false},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + SECRET_TEXT + " for project falcon\"}]}";
		post(GatewayTestSupport.KEY, body).expectHeader().valueEquals(RedactionStage.HEADER, "credit_card=1,custom=1");
		assertThat(upstreamBody()).contains("card 41** **** **** ***1 for p*************")
			.contains("ann.lee@example.com");
	}

	@Test
	void aKeyPolicyCannotLiftWhatItsGroupEnforces() {
		setGroup("claude", new RedactionPolicy(Mode.ENFORCED, List.of("email"), List.of()));
		long keyId = this.directory.authenticate(GatewayTestSupport.KEY).orElseThrow().keyId();
		this.redaction.setForKey(keyId, new RedactionPolicy(Mode.OFF, List.of(), List.of()), "test")
			.then(this.directory.reload())
			.block(Duration.ofSeconds(10));
		String body = "{\"model\":\"exact-model\",\"max_tokens\":64,\"gateway\":{\"redact\":[\"credit_card\"]},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + SECRET_TEXT + "\"}]}";
		post(GatewayTestSupport.KEY, body).expectHeader().valueEquals(RedactionStage.HEADER, "email=1");
		// the key is off: its request may not add the card, but the group's email stays
		// masked
		assertThat(upstreamBody()).contains("an***ee@ex***le.com").contains("4111 1111 1111 1111");
	}

	@Test
	void aGroupThatTurnsRedactionOffIgnoresTheRequest() {
		setGroup("claude", new RedactionPolicy(Mode.OFF, List.of(), List.of()));
		String body = "{\"model\":\"exact-model\",\"max_tokens\":64,\"gateway\":{\"redact\":true},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + SECRET_TEXT + "\"}]}";
		post(GatewayTestSupport.KEY, body).expectHeader().doesNotExist(RedactionStage.HEADER);
		assertThat(upstreamBody()).contains("ann.lee@example.com");
	}

	@Test
	void masksBeforeConversionForOpenAiUpstreams() {
		String body = "{\"model\":\"claude-x\",\"max_tokens\":64,\"gateway\":{\"redact\":true},"
				+ "\"system\":\"Owner: ann.lee@example.com\",\"messages\":[{\"role\":\"user\",\"content\":\""
				+ SECRET_TEXT + "\"}]}";
		post(GatewayTestSupport.OPENAI_KEY, body).expectHeader()
			.valueEquals(RedactionStage.HEADER, "email=2,credit_card=1");
		assertThat(upstreamBody()).doesNotContain("ann.lee@example.com")
			.doesNotContain("4111 1111")
			.contains("an***ee@ex***le.com");
	}

	@Test
	void refusesAMalformedRedactOptionInTheAnthropicEnvelope() {
		for (String redact : List.of("[\"shoe_size\"]", "\"yes\"", "{\"custom\":[\"/(unclosed/\"]}",
				"{\"entitys\":[]}")) {
			String body = "{\"model\":\"exact-model\",\"max_tokens\":64,\"gateway\":{\"redact\":" + redact
					+ "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
			this.http.post()
				.uri("/v1/messages")
				.header("x-api-key", GatewayTestSupport.KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.exists("request-id")
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo("error")
				.jsonPath("$.error.type")
				.isEqualTo("invalid_request_error")
				.jsonPath("$.error.message")
				.value((message) -> assertThat(message.toString()).startsWith("gateway.redact"));
		}
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void refusesPoliciesTheGatewayCannotApply() {
		long groupId = groupId("claude");
		assertThatThrownBy(() -> this.redaction
			.setForGroup(groupId, new RedactionPolicy(Mode.ENFORCED, List.of("shoe_size"), List.of()), "test")
			.block()).isInstanceOf(AdminException.class).hasMessageContaining("shoe_size");
		assertThatThrownBy(() -> this.redaction
			.setForGroup(groupId, new RedactionPolicy(Mode.ENFORCED, List.of(), List.of()), "test")
			.block()).isInstanceOf(AdminException.class).hasMessageContaining("at least one");
	}

	private WebTestClient.ResponseSpec post(String key, String body) {
		return this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private String upstreamBody() {
		RecordedRequest upstream = fake.lastRequest();
		return new String(upstream.body(), StandardCharsets.UTF_8);
	}

	private void setGroup(String name, RedactionPolicy policy) {
		this.redaction.setForGroup(groupId(name), policy, "test")
			.then(this.directory.reload())
			.block(Duration.ofSeconds(10));
	}

	private long groupId(String name) {
		return this.directory.snapshot()
			.groups()
			.values()
			.stream()
			.filter((group) -> group.name().equals(name))
			.findFirst()
			.orElseThrow()
			.id();
	}

	private double masked(String entity) {
		var counter = this.meters.find("tollgate.redactions").tag("entity", entity).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
