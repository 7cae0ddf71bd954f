package io.tollgate.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.billing.admin.AdminTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.admin.ConsoleSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts through the admin API and the console: endpoints with a secret shown once,
 * rules, a test delivery that reaches the receiver, the history, the audit trail.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AlertsAdminTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
		registry.add("tollgate.alerts.poll-interval", () -> "200ms");
		registry.add("tollgate.alerts.tenant-webhooks.allow-http", () -> "true");
		registry.add("tollgate.alerts.tenant-webhooks.allowed-hosts", () -> "127.0.0.1");
	}

	static final String AUDITED = "SELECT COUNT(*) FROM audit_event WHERE action IN "
			+ "('alert_endpoint.create', 'alert_rule.create', 'alert_endpoint.test')";

	@LocalServerPort
	int port;

	@Autowired
	AdminTokens tokens;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	HttpServer receiver;

	final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.http = TestClients.http(this.port);
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/hook", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			this.received.add(Map.of("signature", exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Signature"),
					"id", exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Id")));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stop() {
		this.receiver.stop(0);
	}

	private String hook() {
		return "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hook";
	}

	@Test
	void theApiManagesEndpointsAndRulesAndSendsATest() {
		long audited = count(AUDITED);
		String admin = "Bearer " + token("admin");
		Map<?, ?> created = this.http.post()
			.uri("/api/admin/alerts/endpoints")
			.header("Authorization", admin)
			.bodyValue(Map.of("name", "pager", "url", hook()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat((String) created.get("secret")).startsWith("whsec_");
		long endpoint = ((Number) ((Map<?, ?>) created.get("endpoint")).get("id")).longValue();
		this.http.get()
			.uri("/api/admin/alerts/endpoints")
			.header("Authorization", admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("pager").doesNotContain("whsec_"));

		this.http.post()
			.uri("/api/admin/alerts/rules")
			.header("Authorization", admin)
			.bodyValue(Map.of("endpointId", endpoint, "kind", "balance_below", "threshold", "20", "unit", "percent"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.kind")
			.isEqualTo("BALANCE_BELOW")
			.jsonPath("$.unit")
			.isEqualTo("percent");
		this.http.post()
			.uri("/api/admin/alerts/rules")
			.header("Authorization", admin)
			.bodyValue(Map.of("endpointId", endpoint, "kind", "no_such_kind"))
			.exchange()
			.expectStatus()
			.isBadRequest();

		this.http.post()
			.uri("/api/admin/alerts/endpoints/" + endpoint + "/test")
			.header("Authorization", admin)
			.exchange()
			.expectStatus()
			.isAccepted();
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !this.received.isEmpty());
		assertThat(this.received.get(0).get("signature")).startsWith("v1=");
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get()
				.uri("/api/admin/alerts/deliveries?endpointId=" + endpoint)
				.header("Authorization", admin)
				.exchange()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody()
				.contains("\"status\":\"delivered\""));
		assertThat(count(AUDITED)).isEqualTo(audited + 3);
	}

	@Test
	void financeMayReadAlertsButNotChangeThem() {
		String finance = "Bearer " + token("finance");
		this.http.get()
			.uri("/api/admin/alerts/deliveries")
			.header("Authorization", finance)
			.exchange()
			.expectStatus()
			.isOk();
		this.http.post()
			.uri("/api/admin/alerts/endpoints")
			.header("Authorization", finance)
			.bodyValue(Map.of("name", "sneaky", "url", hook()))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void theConsoleShowsTheSecretOnceAndSendsATest() {
		ConsoleSession admin = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		var issued = admin.post("/admin/alerts/endpoints", form("name", "console-hook", "url", hook()));
		assertThat(issued.getStatus().value()).isEqualTo(200);
		assertThat(new String(issued.getResponseBody())).contains("whsec_");
		long endpoint = count("SELECT id FROM alert_endpoint WHERE name = 'console-hook'");
		String page = admin.get("/admin/alerts").getResponseBody();
		assertThat(page).contains("console-hook").contains("Send test").doesNotContain("whsec_");

		assertThat(admin.postStatus("/admin/alerts/rules",
				form("kind", "key_expiring", "threshold", "3", "endpointId", Long.toString(endpoint))))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(admin.postStatus("/admin/alerts/endpoints/" + endpoint + "/test", form()))
			.isEqualTo(HttpStatus.SEE_OTHER);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !this.received.isEmpty());
		assertThat(admin.get("/admin/alerts").getResponseBody()).contains("key_expiring")
			.contains(">test<")
			.contains("<td>console-hook</td>");
		var rotated = admin.post("/admin/alerts/endpoints/" + endpoint + "/rotate", form());
		assertThat(new String(rotated.getResponseBody())).contains("whsec_").contains("previous secret too");
	}

	@Test
	void tenantsEndpointsAreCheckedAndShownReadOnlyWithTheirTenant() {
		String admin = "Bearer " + token("admin");
		long acme = count("SELECT id FROM tenant WHERE name = 'acme'");
		this.http.post()
			.uri("/api/admin/alerts/endpoints")
			.header("Authorization", admin)
			.bodyValue(Map.of("tenantId", acme, "name", "acme-metadata", "url", "https://169.254.169.254/latest"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("169.254.169.254, a link-local address"));
		this.http.post()
			.uri("/api/admin/alerts/endpoints")
			.header("Authorization", admin)
			.bodyValue(Map.of("tenantId", acme, "name", "acme-own", "url", hook()))
			.exchange()
			.expectStatus()
			.isCreated();
		ConsoleSession root = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		String page = root.get("/admin/alerts").getResponseBody();
		int at = page.indexOf("<td>acme-own</td>");
		assertThat(at).isPositive();
		String row = page.substring(at, page.indexOf("</tr>", at));
		assertThat(row).contains("<td>acme</td>").contains("managed by the tenant").doesNotContain("Send test");
	}

	private String token(String role) {
		return this.tokens.issue("alerts-" + role + "-" + System.nanoTime(), role, "test")
			.block(Duration.ofSeconds(10))
			.secret();
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(Duration.ofSeconds(10));
	}

}
