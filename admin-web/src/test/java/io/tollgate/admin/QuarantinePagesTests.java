package io.tollgate.admin;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageQuarantine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quarantined usage is shown to admins and finance, on its console page and through the
 * admin API, escaped as any other text.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class QuarantinePagesTests {

	static final String FINANCE = "quentin";

	static final String FINANCE_PASSWORD = "finance-password-2";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	UsageQuarantine quarantine;

	@Autowired
	ConsoleUsers users;

	@Autowired
	AdminTokens tokens;

	@Autowired
	PasswordEncoder passwords;

	WebTestClient http;

	@BeforeEach
	void setUp() {
		this.http = TestClients.http(this.port);
		this.users.find(FINANCE)
			.switchIfEmpty(this.users.create(FINANCE, this.passwords.encode(FINANCE_PASSWORD), "finance", "test"))
			.block(Duration.ofSeconds(10));
		String model = "claude-<script>alert(1)</script>\u0000";
		UsageEvent event = new UsageEvent("req_quarantined_page", 1, 1, 1, null, model, model, false,
				new TokenCounts(10, 20, 0, 0, 0), false, Outcome.OK, 200, Instant.parse("2026-01-01T00:00:00Z"), 10,
				null, BillingMode.BALANCE, BigDecimal.ONE);
		this.quarantine
			.rejected(event, "{\"requestId\":\"req_quarantined_page\",\"requestedModel\":\"" + model + "\"}",
					"SQLState 22001: value too long for type character varying(200)")
			.block(Duration.ofSeconds(10));
	}

	@Test
	void adminsAndFinanceSeeQuarantinedUsageEscapedOnItsPage() {
		for (String[] login : new String[][] { { AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD },
				{ FINANCE, FINANCE_PASSWORD } }) {
			ConsoleSession session = ConsoleSession.login(this.http, login[0], login[1]);
			String page = session.get("/admin/usage/quarantine").getResponseBody();
			assertThat(page).as(login[0])
				.contains("req_quarantined_page")
				.contains("SQLState 22001")
				.contains("&lt;script&gt;")
				.doesNotContain("<script>alert");
			assertThat(session.get("/admin/usage").getResponseBody()).contains("/admin/usage/quarantine");
		}
	}

	@Test
	void theAdminApiListsQuarantinedUsageToAdminAndFinanceTokens() {
		for (String role : new String[] { "admin", "finance" }) {
			String token = this.tokens.issue("quarantine-" + role + "-" + System.nanoTime(), role, "test")
				.block(Duration.ofSeconds(10))
				.secret();
			this.http.get()
				.uri("/api/admin/usage/quarantine")
				.header("Authorization", "Bearer " + token)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$[?(@.requestId == 'req_quarantined_page')].reason")
				.isEqualTo("SQLState 22001: value too long for type character varying(200)")
				.jsonPath("$[?(@.requestId == 'req_quarantined_page')].eventJson")
				.value((json) -> assertThat(json.toString()).contains("\\u0000").doesNotContain("\u0000"));
		}
		this.http.get().uri("/api/admin/usage/quarantine").exchange().expectStatus().isUnauthorized();
	}

}
