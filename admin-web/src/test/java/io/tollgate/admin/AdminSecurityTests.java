package io.tollgate.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.ConsoleUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static io.tollgate.admin.ConsoleSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what on the admin plane: console roles, CSRF, login throttling, admin tokens
 * on the API, and tenant keys refused everywhere.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdminSecurityTests {

	static final String FINANCE = "fiona";

	static final String FINANCE_PASSWORD = "finance-password-1";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	ConsoleUsers users;

	@Autowired
	AdminTokens tokens;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	RequestMappingHandlerMapping mappings;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	@BeforeEach
	void client() {
		this.http = TestClients.http(this.port);
		this.users.find(FINANCE)
			.switchIfEmpty(this.users.create(FINANCE, this.passwords.encode(FINANCE_PASSWORD), "finance", "test"))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void theSessionCookieIsHttpOnlyAndSameSiteLaxAndNotSecureOverPlainHttp() {
		String cookie = this.http.get()
			.uri("/admin/login")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("Set-Cookie");
		assertThat(cookie).startsWith("SESSION=")
			.containsIgnoringCase("HttpOnly")
			.contains("SameSite=Lax")
			.doesNotContainIgnoringCase("Secure");
	}

	@Test
	void anonymousConsoleRequestsAreSentToTheLoginPage() {
		this.http.get()
			.uri("/admin/tenants")
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/admin/login");
		this.http.get()
			.uri("/admin/login")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("name=\"_csrf\""));
	}

	@Test
	void theFirstAdminLogsInAndSeesEveryPage() {
		ConsoleSession admin = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		for (String page : List.of("/admin", "/admin/tenants", "/admin/keys", "/admin/groups", "/admin/accounts",
				"/admin/plans", "/admin/prices", "/admin/usage", "/admin/audit", "/admin/users")) {
			assertThat(admin.get(page).getStatus().value()).as(page).isEqualTo(200);
		}
		assertThat(admin.get("/admin/accounts").getResponseBody()).contains("primary")
			.doesNotContain("sk-ant-admin-test-credential")
			.contains("Health not available");
	}

	@Test
	void postsWithoutTheCsrfTokenAreRefused() {
		ConsoleSession admin = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		assertThat(admin.postRaw("/admin/tenants", form("name", "no-csrf")).getStatus().value()).isEqualTo(403);
		assertThat(admin.postRaw("/admin/tenants", form("name", "bad-csrf", "_csrf", "forged")).getStatus().value())
			.isEqualTo(403);
		assertThat(admin.postStatus("/admin/tenants", form("name", "with-csrf"))).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(count("SELECT COUNT(*) FROM tenant WHERE name IN ('no-csrf', 'bad-csrf')")).isZero();
		assertThat(count("SELECT COUNT(*) FROM tenant WHERE name = 'with-csrf'")).isOne();
	}

	@Test
	void financeReadsEverythingPostsLedgerEntriesButChangesNothingElse() {
		ConsoleSession finance = ConsoleSession.login(this.http, FINANCE, FINANCE_PASSWORD);
		long tenant = count("SELECT id FROM tenant WHERE name = 'acme'");
		for (String page : List.of("/admin", "/admin/tenants", "/admin/tenants/" + tenant, "/admin/keys",
				"/admin/groups", "/admin/accounts", "/admin/plans", "/admin/prices", "/admin/usage", "/admin/audit")) {
			assertThat(finance.get(page).getStatus().value()).as(page).isEqualTo(200);
		}
		assertThat(finance.get("/admin/users").getStatus().value()).isEqualTo(403);
		assertThat(finance.get("/admin/tenants").getResponseBody()).doesNotContain("create-tenant");
		assertThat(finance.postStatus("/admin/tenants", form("name", "by-finance"))).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(finance.postStatus("/admin/keys/1/revoke", form())).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(finance.postStatus("/admin/tenants/" + tenant + "/ledger",
				form("kind", "topup", "amount", "5", "reason", "wire 42")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(count("SELECT COUNT(*) FROM tenant WHERE name = 'by-finance'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE actor = '" + FINANCE + "' AND reason = 'wire 42'"))
			.isOne();
	}

	@Test
	void repeatedFailedLoginsLockTheUsernameEvenForTheRightPassword() {
		ConsoleUsers users = this.users;
		users.create("victim", this.passwords.encode("victim-password-1"), "admin", "test").block();
		ConsoleSession attacker = ConsoleSession.anonymous(this.http);
		for (int i = 0; i < 5; i++) {
			assertThat(attacker.attemptLogin("victim", "guess-" + i).getResponseHeaders().getLocation())
				.hasToString("/admin/login?error");
		}
		ConsoleSession owner = ConsoleSession.anonymous(this.http);
		assertThat(owner.attemptLogin("victim", "victim-password-1").getResponseHeaders().getLocation())
			.hasToString("/admin/login?locked");
	}

	@Test
	void theApiWantsAValidAdminToken() {
		this.http.get().uri("/api/admin/tenants").exchange().expectStatus().isUnauthorized();
		this.http.get()
			.uri("/api/admin/tenants")
			.header("Authorization", "Bearer tga-not-a-real-token-000000000000000000000")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		String admin = token("admin");
		this.http.get()
			.uri("/api/admin/tenants")
			.header("Authorization", "Bearer " + admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"acme\""));
		this.http.get()
			.uri("/api/admin/users")
			.header("Authorization", "Bearer " + admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"root\"").doesNotContain("bcrypt").doesNotContain("$2a$"));
	}

	@Test
	void theApiSetsAGroupsAdmissionPolicyAndATenantsOverdraftLimit() {
		String admin = "Bearer " + token("admin");
		this.http.post()
			.uri("/api/admin/groups")
			.header("Authorization", admin)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"api-overdraft\",\"settings\":{\"platform\":\"anthropic\","
					+ "\"admissionPolicy\":\"overdraft\"}}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.settings.admissionPolicy")
			.isEqualTo("overdraft");
		this.http.post()
			.uri("/api/admin/groups")
			.header("Authorization", admin)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"api-lenient\",\"settings\":{\"platform\":\"anthropic\","
					+ "\"admissionPolicy\":\"lenient\"}}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.http.post()
			.uri("/api/admin/tenants")
			.header("Authorization", admin)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"api-overdrawer\",\"overdraftLimit\":\"2.5\"}")
			.exchange()
			.expectStatus()
			.is2xxSuccessful()
			.expectBody()
			.jsonPath("$.overdraftLimit")
			.isEqualTo(2.5);
		assertThat(count("SELECT COUNT(*) FROM api_group WHERE name = 'api-lenient'")).as("refused whole").isZero();
	}

	@Test
	void theApiRefusesARouterModelTheGroupDoesNotServe() {
		this.http.post()
			.uri("/api/admin/groups")
			.header("Authorization", "Bearer " + token("admin"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"api-router\",\"settings\":{\"platform\":\"anthropic\","
					+ "\"routerModel\":\"claude-haiku-4-5\",\"intentDefaults\":{\"mediaOptimization\":true}}}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("Router model claude-haiku-4-5 is not served"));
		assertThat(count("SELECT COUNT(*) FROM api_group WHERE name = 'api-router'")).as("refused whole").isZero();
	}

	@Test
	void financeTokensReadAndPostToTheLedgerOnly() {
		String finance = "Bearer " + token("finance");
		long tenant = count("SELECT id FROM tenant WHERE name = 'acme'");
		this.http.get().uri("/api/admin/usage").header("Authorization", finance).exchange().expectStatus().isOk();
		this.http.post()
			.uri("/api/admin/tenants")
			.header("Authorization", finance)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "by-finance-token"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.get()
			.uri("/api/admin/tokens")
			.header("Authorization", finance)
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.post()
			.uri("/api/admin/tenants/" + tenant + "/ledger")
			.header("Authorization", finance)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("kind", "refund", "amount", "1.25", "reason", "outage credit"))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void aTenantKeyReachesNoAdminRoute() {
		List<String[]> routes = routes();
		assertThat(routes).hasSizeGreaterThan(40);
		for (String[] route : routes) {
			HttpMethod method = HttpMethod.valueOf(route[0]);
			String path = route[1];
			for (String header : List.of("Authorization", "x-api-key")) {
				String value = header.equals("Authorization") ? "Bearer " + AdminTestSupport.TENANT_KEY
						: AdminTestSupport.TENANT_KEY;
				WebTestClient.RequestBodySpec request = this.http.method(method).uri(path).header(header, value);
				WebTestClient.RequestHeadersSpec<?> sent = (method == HttpMethod.POST || method == HttpMethod.PUT)
						? request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}") : request;
				int status = sent.exchange().returnResult(String.class).getStatus().value();
				if (path.startsWith("/api/admin")) {
					assertThat(status).as(method + " " + path + " with " + header).isEqualTo(401);
				}
				else {
					assertThat(status).as(method + " " + path + " with " + header).isIn(302, 403);
				}
			}
		}
	}

	@Test
	void theOpenApiDocumentDescribesEveryAdminApiRoute() {
		String body = this.http.get()
			.uri("/api/admin/openapi")
			.header("Authorization", "Bearer " + token("finance"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonNode paths = JsonMapper.builder().build().readTree(body).get("paths");
		List<String> missing = new ArrayList<>();
		for (String[] route : routes()) {
			if (!route[1].startsWith("/api/admin") || route[1].startsWith("/api/admin/openapi")) {
				continue;
			}
			String template = route[2];
			JsonNode path = paths.get(template);
			if (path == null || path.get(route[0].toLowerCase()) == null) {
				missing.add(route[0] + " " + template);
			}
		}
		assertThat(missing).isEmpty();
		assertThat(paths.propertyNames()).allMatch((path) -> path.startsWith("/api/admin/"));
	}

	/** Every admin route: method, a concrete path, and the path template. */
	private List<String[]> routes() {
		List<String[]> routes = new ArrayList<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<String> paths = info.getPatternsCondition().getDirectPaths().isEmpty() ? info.getPatternsCondition()
				.getPatterns()
				.stream()
				.map(Object::toString)
				.collect(java.util.stream.Collectors.toSet()) : info.getPatternsCondition().getDirectPaths();
			for (String template : paths) {
				if (!template.startsWith("/admin") && !template.startsWith("/api/admin")) {
					continue;
				}
				if (template.equals("/admin/login") || template.equals("/admin/login/code")) {
					continue;
				}
				String concrete = template.replaceAll("\\{[^}]+}", "1");
				Set<?> methods = info.getMethodsCondition().getMethods();
				for (Object method : methods.isEmpty() ? Set.of("GET") : methods) {
					routes.add(new String[] { method.toString(), concrete, template });
				}
			}
		}
		return routes;
	}

	private String token(String role) {
		return this.tokens.issue("test-" + role + "-" + System.nanoTime(), role, "test")
			.block(Duration.ofSeconds(10))
			.secret();
	}

	private long count(String sql) {
		Long value = this.db.sql(sql)
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.defaultIfEmpty(0L)
			.block(Duration.ofSeconds(10));
		return value;
	}

}
