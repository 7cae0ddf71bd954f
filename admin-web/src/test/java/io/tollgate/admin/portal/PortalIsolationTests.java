package io.tollgate.admin.portal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.admin.ConsoleSession;
import io.tollgate.admin.TestClients;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.ledger.Posting;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static io.tollgate.admin.portal.PortalSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant portal and tenant API keep tenants apart: a user or token of one tenant
 * reaches none of another's data through any portal route or API endpoint, whether with
 * the other tenant's real ids or with guessed ones; members cannot manage users or
 * tokens; CSRF, throttling and the separation of portal and console sessions hold.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PortalIsolationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String PASSWORD = "portal-password-123";

	static final String ANN = "ann@acme.test";

	static final String MAX = "max@acme.test";

	static final String GUS = "gus@globex.test";

	static final String GLOBEX_MARK = "globex";

	static Fixture fixture;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantAdmin tenants;

	@Autowired
	KeyAdmin keys;

	@Autowired
	TenantUsers users;

	@Autowired
	TenantApiTokens tokens;

	@Autowired
	AdminTokens adminTokens;

	@Autowired
	Ledger ledger;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	DatabaseClient db;

	@Autowired
	RequestMappingHandlerMapping mappings;

	@Autowired
	PortalMetrics metrics;

	WebTestClient http;

	@BeforeEach
	void setUp() {
		this.http = TestClients.http(this.port);
		if (fixture == null) {
			fixture = fixture();
		}
	}

	private Fixture fixture() {
		Tenant acme = this.tenants.list()
			.block(WAIT)
			.stream()
			.filter((t) -> t.name().equals("acme"))
			.findFirst()
			.orElseThrow();
		ApiKeyInfo acmeKey = this.keys.list(acme.id()).block(WAIT).get(0);
		Tenant globex = this.tenants.create(new Tenant.Form("globex", 2, 60, null, null), "test").block(WAIT);
		ApiKeyInfo.Issued globexKey = this.keys.issue(globex.id(), "globex-key",
				new ApiKeyInfo.Settings(acmeKey.groupId(), null, List.of(), List.of(), null, null, null, null), "test")
			.block(WAIT);
		this.ledger.post(globex.id(), Posting.TOPUP, new BigDecimal("77"), "test", "globex top-up").block(WAIT);
		usage("req-acme-1", acmeKey.id());
		usage("req-second-1", globexKey.key().id());
		TenantUser ann = activeUser(acme.id(), ANN, "owner");
		activeUser(acme.id(), MAX, "member");
		TenantUser gus = activeUser(globex.id(), GUS, "owner");
		String acmeToken = this.tokens.issue(ann.principal(), "acme-script").block(WAIT).secret();
		var globexToken = this.tokens.issue(gus.principal(), "globex-script").block(WAIT);
		return new Fixture(acme.id(), globex.id(), acmeKey.groupId(), globexKey.key().id(), gus.id(),
				globexToken.token().id(), acmeToken, globexToken.secret());
	}

	@Test
	void anInvitedUserSetsThePasswordOnceThroughTheLinkAndLogsIn() {
		TenantUser.Invited invited = this.users.create(fixture.acme, "new@acme.test", "member", "root").block(WAIT);
		PortalSession anonymous = PortalSession.anonymous(this.http);
		String path = "/portal/welcome/" + invited.token();
		assertThat(anonymous.get(path).getResponseBody()).contains("new@acme.test");
		assertThat(anonymous.post(path, form("password", "short", "confirm", "short")).getStatus().value())
			.isEqualTo(400);
		EntityExchangeResult<byte[]> set = anonymous.post(path,
				form("password", "a-long-new-password", "confirm", "a-long-new-password"));
		assertThat(set.getResponseHeaders().getLocation()).hasToString("/portal/login?welcome");
		assertThat(anonymous.get("/portal/login?welcome").getResponseBody()).contains("id=\"welcome\"");
		assertThat(anonymous.status(path)).isEqualTo(404);
		assertThat(anonymous.post(path, form("password", "another-password!", "confirm", "another-password!"))
			.getStatus()
			.value()).isEqualTo(400);
		PortalSession session = PortalSession.login(this.http, "NEW@acme.test", "a-long-new-password");
		assertThat(session.get("/portal").getResponseBody()).contains("new@acme.test");
		assertThat(this.db.sql("SELECT password_hash FROM tenant_user WHERE login = 'new@acme.test'")
			.map((row) -> row.get(0, String.class))
			.one()
			.block(WAIT)).startsWith("{bcrypt}");
	}

	@Test
	void everyPortalPageShowsOnlyTheOwnTenant() {
		PortalSession ann = PortalSession.login(this.http, ANN, PASSWORD);
		List<String> pages = new ArrayList<>();
		for (String[] route : routes("/portal")) {
			if (route[0].equals("GET") && !route[2].contains("{")) {
				pages.add(route[1]);
			}
		}
		assertThat(pages).contains("/portal", "/portal/keys", "/portal/usage", "/portal/ledger", "/portal/models",
				"/portal/users", "/portal/usage.csv", "/portal/ledger.csv");
		for (String page : pages) {
			EntityExchangeResult<String> result = ann.get(page + (page.endsWith(".csv") ? "?from=2000-01-01" : ""));
			assertThat(result.getStatus().value()).as(page).isEqualTo(200);
			assertThat(result.getResponseBody()).as(page).doesNotContainIgnoringCase(GLOBEX_MARK);
		}
		assertThat(ann.get("/portal/usage").getResponseBody()).contains("req-acme-1");
		assertThat(ann.get("/portal/usage.csv?from=2000-01-01").getResponseBody()).contains("req-acme-1");
		assertThat(ann.get("/portal/keys").getResponseBody()).contains("default");
	}

	@Test
	void anotherTenantsIdsAndGuessedIdsAreNotFoundOnEveryPortalRoute() {
		PortalSession ann = PortalSession.login(this.http, ANN, PASSWORD);
		List<String> tried = new ArrayList<>();
		for (String[] route : routes("/portal")) {
			if (!route[2].contains("{") || route[2].contains("{token}")) {
				continue;
			}
			for (String id : List.of("globex", "999999")) {
				String path = concrete(route[2], id.equals("globex"), "999999");
				int status = route[0].equals("GET") ? ann.status(path) : ann.postStatus(path,
						form("name", "hijacked", "groupId", Long.toString(fixture.group), "login", "hijacked@x.test"));
				assertThat(status).as(route[0] + " " + path).isEqualTo(404);
				tried.add(route[0] + " " + path);
			}
		}
		assertThat(tried).hasSizeGreaterThanOrEqualTo(14);
		assertGlobexUntouched();
		assertThat(ann.get("/portal/usage?keyId=" + fixture.globexKey + "&from=2000-01-01").getResponseBody())
			.doesNotContain("req-second-1")
			.contains("id=\"usage-requests\">0<");
	}

	@Test
	void theTenantApiAnswersOnlyForTheTokensTenant() {
		JsonNode keys = json(this.http.get().uri("/api/tenant/keys"), fixture.acmeToken, 200);
		assertThat(keys).hasSize(1);
		assertThat(keys.get(0).get("name").asString()).isEqualTo("default");
		assertThat(json(this.http.get().uri("/api/tenant/ledger"), fixture.acmeToken, 200).toString())
			.doesNotContain("globex");
		JsonNode usage = json(this.http.get().uri("/api/tenant/usage?from=2000-01-01"), fixture.acmeToken, 200);
		assertThat(usage.get("records")).hasSize(1);
		assertThat(usage.get("records").get(0).get("requestId").asString()).isEqualTo("req-acme-1");
		assertThat(json(this.http.get().uri("/api/tenant/usage?from=2000-01-01&keyId=" + fixture.globexKey),
				fixture.acmeToken, 200)
			.get("totals")
			.get("requests")
			.asLong()).isZero();
		assertThat(json(this.http.get().uri("/api/tenant/balance"), fixture.acmeToken, 200).get("tenant").asString())
			.isEqualTo("acme");
		assertThat(json(this.http.get().uri("/api/tenant/balance"), fixture.globexToken, 200).get("balance").asInt())
			.isEqualTo(77);
		List<String> tried = new ArrayList<>();
		for (String[] route : routes("/api/tenant")) {
			if (!route[2].contains("{")) {
				continue;
			}
			for (boolean real : List.of(true, false)) {
				String path = concrete(route[2], real, "999999");
				WebTestClient.RequestBodySpec request = this.http.method(HttpMethod.valueOf(route[0]))
					.uri(path)
					.header("Authorization", "Bearer " + fixture.acmeToken);
				WebTestClient.RequestHeadersSpec<?> sent = route[0].equals("GET") ? request
						: request.contentType(MediaType.APPLICATION_JSON)
							.bodyValue(Map.of("name", "hijacked", "groupId", fixture.group));
				EntityExchangeResult<String> result = sent.exchange().expectBody(String.class).returnResult();
				assertThat(result.getStatus().value()).as(route[0] + " " + path).isEqualTo(404);
				assertThat(result.getResponseBody()).doesNotContainIgnoringCase(GLOBEX_MARK);
				tried.add(route[0] + " " + path);
			}
		}
		assertThat(tried).hasSizeGreaterThanOrEqualTo(8);
		assertGlobexUntouched();
	}

	@Test
	void theTenantApiRefusesInferenceKeysAdminTokensAndPortalSessions() {
		String admin = this.adminTokens.issue("portal-test", "admin", "test").block(WAIT).secret();
		PortalSession ann = PortalSession.login(this.http, ANN, PASSWORD);
		for (String[] route : routes("/api/tenant")) {
			String path = concrete(route[2], false, "1");
			for (String bearer : List.of(AdminTestSupport.TENANT_KEY, admin, "tgt-not-a-real-token")) {
				assertThat(this.http.method(HttpMethod.valueOf(route[0]))
					.uri(path)
					.header("Authorization", "Bearer " + bearer)
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value()).as(route[0] + " " + path).isEqualTo(401);
			}
			assertThat(this.http.method(HttpMethod.valueOf(route[0]))
				.uri(path)
				.header("x-api-key", AdminTestSupport.TENANT_KEY)
				.cookie("SESSION", ann.cookie())
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value()).as(route[0] + " " + path).isEqualTo(401);
		}
		assertThat(this.http.get()
			.uri("/api/admin/tenants")
			.header("Authorization", "Bearer " + fixture.acmeToken)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value()).isEqualTo(401);
	}

	@Test
	void theTenantApiHasAnOpenApiDocumentOfItsOwnBesideTheAdminOne() {
		JsonNode tenantPaths = json(this.http.get().uri("/api/tenant/openapi"), fixture.acmeToken, 200).get("paths");
		assertThat(tenantPaths.propertyNames()).isNotEmpty().allMatch((path) -> path.startsWith("/api/tenant/"));
		List<String> missing = new ArrayList<>();
		for (String[] route : routes("/api/tenant")) {
			if (route[2].startsWith("/api/tenant/openapi")) {
				continue;
			}
			JsonNode path = tenantPaths.get(route[2]);
			if (path == null || path.get(route[0].toLowerCase(java.util.Locale.ROOT)) == null) {
				missing.add(route[0] + " " + route[2]);
			}
		}
		assertThat(missing).isEmpty();
		assertThat(tenantPaths.propertyNames()).contains("/api/tenant/notifications/endpoints", "/api/tenant/balance")
			.doesNotContain("/api/tenant/openapi");
		EntityExchangeResult<String> yaml = this.http.get()
			.uri("/api/tenant/openapi.yaml")
			.header("Authorization", "Bearer " + fixture.globexToken)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(yaml.getStatus().value()).isEqualTo(200);
		assertThat(yaml.getResponseBody()).startsWith("openapi:")
			.contains("/api/tenant/notifications/deliveries:")
			.doesNotContain("/api/admin/");

		String admin = this.adminTokens.issue("openapi-" + System.nanoTime(), "admin", "test").block(WAIT).secret();
		JsonNode adminPaths = json(this.http.get().uri("/api/admin/openapi"), admin, 200).get("paths");
		assertThat(adminPaths.propertyNames()).contains("/api/admin/tenants", "/api/admin/alerts/endpoints")
			.allMatch((path) -> path.startsWith("/api/admin/"));
		// each document only for its own side's tokens, and not for anyone else
		for (String[] request : List.of(new String[] { "/api/tenant/openapi", admin },
				new String[] { "/api/tenant/openapi.yaml", null },
				new String[] { "/api/admin/openapi", fixture.acmeToken },
				new String[] { "/api/tenant/openapi", AdminTestSupport.TENANT_KEY })) {
			WebTestClient.RequestHeadersSpec<?> get = this.http.get().uri(request[0]);
			if (request[1] != null) {
				get = get.header("Authorization", "Bearer " + request[1]);
			}
			assertThat(get.exchange().returnResult(String.class).getStatus().value()).as(request[0]).isEqualTo(401);
		}
	}

	@Test
	void membersCannotManageUsersOrTokens() {
		PortalSession max = PortalSession.login(this.http, MAX, PASSWORD);
		assertThat(max.status("/portal/users")).isEqualTo(403);
		assertThat(max.postStatus("/portal/users", form("login", "sneaky@acme.test", "role", "owner"))).isEqualTo(403);
		assertThat(max.postStatus("/portal/tokens", form("name", "sneaky"))).isEqualTo(403);
		assertThat(max.status("/portal/keys")).isEqualTo(200);
		assertThat(this.db.sql("SELECT COUNT(*) FROM tenant_user WHERE login = 'sneaky@acme.test'")
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT)).isZero();
	}

	@Test
	void portalAndConsoleLoginsAreSeparate() {
		PortalSession ann = PortalSession.login(this.http, ANN, PASSWORD);
		EntityExchangeResult<String> console = ann.get("/admin");
		assertThat(console.getStatus().value()).isEqualTo(302);
		assertThat(console.getResponseHeaders().getLocation()).hasToString("/admin/login");
		ConsoleSession root = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		EntityExchangeResult<String> portal = root.get("/portal");
		assertThat(portal.getStatus().value()).isEqualTo(302);
		assertThat(portal.getResponseHeaders().getLocation()).hasToString("/portal/login");
		assertThat(ann.get("/portal").getResponseHeaders().getFirst("Content-Security-Policy"))
			.contains("script-src 'self'");
	}

	@Test
	void postsWithoutTheCsrfTokenAreRefused() {
		PortalSession ann = PortalSession.login(this.http, ANN, PASSWORD);
		assertThat(ann.postRaw("/portal/keys", form("name", "no-csrf", "groupId", Long.toString(fixture.group)))
			.getStatus()
			.value()).isEqualTo(403);
		assertThat(ann.postRaw("/portal/redeem", form("code", "TGR-AAAAA-AAAAA-AAAAA-AAAAA")).getStatus().value())
			.isEqualTo(403);
	}

	@Test
	void keysStayWithinWhatTheAdminGrantedTheTenant() {
		PortalSession gus = PortalSession.login(this.http, GUS, PASSWORD);
		assertThat(gus.postStatus("/portal/keys",
				form("name", "too-fast", "groupId", Long.toString(fixture.group), "rpmLimit", "61")))
			.isEqualTo(400);
		assertThat(gus.postStatus("/portal/keys", form("name", "elsewhere", "groupId", "999999"))).isEqualTo(400);
		EntityExchangeResult<byte[]> created = gus.post("/portal/keys",
				form("name", "laptop", "groupId", Long.toString(fixture.group), "rpmLimit", "60"));
		assertThat(created.getStatus().value()).isEqualTo(200);
		assertThat(new String(created.getResponseBody())).contains("tg-").contains("ANTHROPIC_BASE_URL=http://");
		assertThat(this.db.sql("SELECT COUNT(*) FROM audit_event WHERE action = 'key.issue' AND actor = :actor")
			.bind("actor", "tenant:globex/" + GUS)
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT)).isOne();
	}

	@Test
	void repeatedFailedLoginsLockTheLoginEvenForTheRightPassword() {
		PortalSession anonymous = PortalSession.anonymous(this.http);
		for (int i = 0; i < 5; i++) {
			assertThat(anonymous.post("/portal/login", form("username", "locked@acme.test", "password", "wrong"))
				.getResponseHeaders()
				.getLocation()).hasToString("/portal/login?error");
		}
		this.users.create(fixture.acme, "locked@acme.test", "member", "root").block(WAIT);
		double locked = this.metrics.registry().counter("tollgate.portal.logins", "outcome", "locked").count();
		assertThat(anonymous.post("/portal/login", form("username", "locked@acme.test", "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal/login?locked");
		assertThat(this.metrics.registry().counter("tollgate.portal.logins", "outcome", "locked").count())
			.isEqualTo(locked + 1);
		assertThat(this.metrics.registry().counter("tollgate.portal.logins", "outcome", "failure").count())
			.isGreaterThanOrEqualTo(5);
	}

	private void assertGlobexUntouched() {
		ApiKeyInfo key = this.keys.get(fixture.globexKey).block(WAIT);
		assertThat(key.status()).isEqualTo("active");
		assertThat(key.name()).isEqualTo("globex-key");
		assertThat(this.db.sql("SELECT COUNT(*) FROM tenant_api_token WHERE revoked_at IS NOT NULL AND tenant_id = :t")
			.bind("t", fixture.globex)
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT)).isZero();
		assertThat(this.db.sql("SELECT COUNT(*) FROM tenant_user_link WHERE user_id = :u")
			.bind("u", fixture.gusId)
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT)).isOne();
		assertThat(this.db.sql("SELECT COUNT(*) FROM tenant_user WHERE login LIKE 'hijacked%'")
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT)).isZero();
	}

	/** A route's path with globex's real ids, or with a guessed one. */
	private static String concrete(String template, boolean real, String guess) {
		String path = template;
		if (real) {
			path = path.replace("/keys/{id}", "/keys/" + fixture.globexKey)
				.replace("/users/{id}", "/users/" + fixture.gusId)
				.replace("/tokens/{id}", "/tokens/" + fixture.globexTokenId)
				.replace("{requestId}", "req-second-1");
		}
		return path.replaceAll("\\{[^}]+}", guess);
	}

	private JsonNode json(WebTestClient.RequestHeadersSpec<?> request, String token, int status) {
		EntityExchangeResult<String> result = request.header("Authorization", "Bearer " + token)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(status);
		return JsonMapper.builder().build().readTree(result.getResponseBody());
	}

	/** Every route under a prefix: method, a concrete path, and the template. */
	private List<String[]> routes(String prefix) {
		List<String[]> routes = new ArrayList<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<String> paths = info.getPatternsCondition()
				.getPatterns()
				.stream()
				.map(Object::toString)
				.collect(java.util.stream.Collectors.toSet());
			for (String template : paths) {
				if (!template.startsWith(prefix) || template.equals("/portal/login")
						|| template.equals("/portal/login/code") || template.endsWith("/")) {
					continue;
				}
				Set<?> methods = info.getMethodsCondition().getMethods();
				for (Object method : methods.isEmpty() ? Set.of("GET") : methods) {
					routes.add(new String[] { method.toString(), template.replaceAll("\\{[^}]+}", "1"), template });
				}
			}
		}
		return routes;
	}

	private TenantUser activeUser(long tenantId, String login, String role) {
		TenantUser.Invited invited = this.users.create(tenantId, login, role, "root").block(WAIT);
		return this.users.setPassword(invited.token(), this.passwords.encode(PASSWORD)).block(WAIT);
	}

	private void usage(String requestId, long keyId) {
		this.db.sql("""
				INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, stream,
				    input_tokens, output_tokens, list_cost, charged_cost, outcome, http_status, latency_ms, started_at)
				SELECT :id, k.tenant_id, k.id, k.group_id, 'claude-sonnet-4-5', TRUE, 1000, 200, 0.006, 0.006,
				    'ok', 200, 420, :at FROM api_key k WHERE k.id = :key""")
			.bind("id", requestId)
			.bind("key", keyId)
			.bind("at", Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC))
			.then()
			.block(WAIT);
	}

	record Fixture(long acme, long globex, long group, long globexKey, long gusId, long globexTokenId, String acmeToken,
			String globexToken) {
	}

}
