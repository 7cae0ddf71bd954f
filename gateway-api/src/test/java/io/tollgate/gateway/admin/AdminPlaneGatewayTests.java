package io.tollgate.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
 * The admin plane hosted by the gateway: tenant requests keep working and never pass
 * through a security filter, tenant keys are refused on the admin plane, and a key issued
 * through the admin API works on the hot path within seconds.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdminPlaneGatewayTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String MESSAGE = """
			{"model":"claude-x","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}""";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
		registry.add("tollgate.admin.password", () -> "gateway-admin-password");
	}

	@LocalServerPort
	int port;

	@Autowired
	AdminTokens tokens;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

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
		fake.reset();
	}

	@Test
	void tenantRequestsWorkWithoutPassingThroughSecurity() {
		this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(MESSAGE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			// Spring Security's header writer would add these to anything it handled
			.doesNotExist("X-Content-Type-Options")
			.expectHeader()
			.doesNotExist("X-Frame-Options")
			.expectHeader()
			.doesNotExist("Set-Cookie");
		this.http.get()
			.uri("/admin/login")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff");
	}

	@Test
	void tenantKeysAreRefusedOnTheAdminPlane() {
		for (String path : List.of("/api/admin/tenants", "/api/admin/usage", "/api/admin/openapi",
				"/api/admin/exports/usage.csv?from=2025-01-01&to=2025-01-02")) {
			this.http.get()
				.uri(path)
				.header("Authorization", "Bearer " + GatewayTestSupport.KEY)
				.exchange()
				.expectStatus()
				.isUnauthorized();
			this.http.get()
				.uri(path)
				.header("x-api-key", GatewayTestSupport.KEY)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		this.http.get()
			.uri("/admin/tenants")
			.header("x-api-key", GatewayTestSupport.KEY)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/admin/login");
	}

	@Test
	void aKeyIssuedThroughTheAdminApiWorksOnTheHotPath() {
		String admin = "Bearer " + this.tokens.issue("gateway-test", "admin", "test").block().secret();
		JsonNode tenants = json(this.http.get().uri("/api/admin/tenants").header("Authorization", admin));
		long tenant = tenants.get(0).get("id").asLong();
		JsonNode groups = json(this.http.get().uri("/api/admin/groups").header("Authorization", admin));
		long group = -1;
		for (JsonNode node : groups) {
			if (node.get("settings").get("platform").asString().equals("anthropic") && node.get("members").size() > 0) {
				group = node.get("id").asLong();
				break;
			}
		}
		String body = this.http.post()
			.uri("/api/admin/keys")
			.header("Authorization", admin)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("tenantId", tenant, "name", "from-api", "settings", Map.of("groupId", group)))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String secret = JsonMapper.builder().build().readTree(body).get("secret").asString();
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> this.http.post()
				.uri("/v1/messages")
				.header("x-api-key", secret)
				.header("anthropic-version", "2023-06-01")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(MESSAGE)
				.exchange()
				.expectStatus()
				.isOk());
	}

	@Test
	void theConnectionTestListsTheAccountsModels() {
		String admin = "Bearer " + this.tokens.issue("connection-test", "admin", "test").block().secret();
		long account = this.db.sql("SELECT id FROM upstream_account WHERE name = 'account-a'")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		JsonNode result = json(
				this.http.post().uri("/api/admin/accounts/" + account + "/test").header("Authorization", admin));
		assertThat(result.get("ok").asBoolean()).isTrue();
		assertThat(fake.lastRequest().path()).isEqualTo("/v1/models");
		assertThat(fake.lastRequest().credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_A);
	}

	@Test
	void theConsoleReadsAndResetsTheRoutersAccountHealth() {
		String admin = "Bearer " + this.tokens.issue("health-test", "admin", "test").block().secret();
		long account = this.db.sql("SELECT id FROM upstream_account WHERE name = 'dead'")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(
				json(this.http.get().uri("/api/admin/accounts/health").header("Authorization", admin)).get("available")
					.asBoolean())
			.isTrue();
		assertThat(
				json(this.http.post().uri("/api/admin/accounts/" + account + "/reset").header("Authorization", admin))
					.get("available")
					.asBoolean())
			.isTrue();
		assertThat(this.db.sql("SELECT COUNT(*) FROM audit_event WHERE action = 'account.health.reset'")
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block()).isOne();
	}

	private static JsonNode json(WebTestClient.RequestHeadersSpec<?> request) {
		String body = request.exchange()
			.expectStatus()
			.is2xxSuccessful()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JsonMapper.builder().build().readTree(body);
	}

}
