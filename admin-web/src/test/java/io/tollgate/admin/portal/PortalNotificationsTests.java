package io.tollgate.admin.portal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.admin.TestClients;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.alerts.EndpointSecret;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import io.tollgate.billing.tenantview.TenantNotifications;
import org.junit.jupiter.api.AfterEach;
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

import static io.tollgate.admin.portal.PortalSession.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's notifications through the portal and the tenant API: webhooks signed like
 * the operator's and delivered to a local receiver (allowed by the operator's property),
 * the low-balance threshold, secret rotation, the delivery history; URLs that point
 * inside refused when saved and deliveries to them refused unsent; members read only; and
 * another tenant's endpoints, rules and deliveries are not found, by real or guessed id,
 * through every route.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PortalNotificationsTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String PASSWORD = "notify-password-123";

	static final Pattern SECRET = Pattern.compile("(whsec_[A-Za-z0-9_-]+)");

	static final String TOKEN_AUDIT = "SELECT COUNT(*) FROM audit_event WHERE actor = 'tenant:acme/token:acme-script' "
			+ "AND action IN ('alert_endpoint.create', 'alert_endpoint.rotate_secret', 'alert_endpoint.update', "
			+ "'alert_endpoint.test', 'alert_rule.create', 'alert_rule.delete')";

	static Fixture fixture;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
		registry.add("tollgate.alerts.poll-interval", () -> "200ms");
		registry.add("tollgate.alerts.tenant-webhooks.allow-http", () -> "true");
		registry.add("tollgate.alerts.tenant-webhooks.allowed-hosts", () -> "127.0.0.1");
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantAdmin tenants;

	@Autowired
	TenantUsers users;

	@Autowired
	TenantApiTokens tokens;

	@Autowired
	TenantNotifications notifications;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	DatabaseClient db;

	@Autowired
	org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping mappings;

	WebTestClient http;

	HttpServer receiver;

	final List<Received> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() throws IOException {
		this.http = TestClients.http(this.port);
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/hook", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			var headers = exchange.getRequestHeaders();
			this.received.add(new Received(headers.getFirst("Tollgate-Webhook-Id"),
					headers.getFirst("Tollgate-Webhook-Timestamp"), headers.getFirst("Tollgate-Webhook-Signature"),
					new String(body, StandardCharsets.UTF_8)));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		this.receiver.start();
		if (fixture == null) {
			fixture = fixture();
		}
	}

	@AfterEach
	void stop() {
		this.receiver.stop(0);
	}

	private Fixture fixture() {
		long acme = this.tenants.list()
			.block(WAIT)
			.stream()
			.filter((t) -> t.name().equals("acme"))
			.findFirst()
			.orElseThrow()
			.id();
		Tenant globex = this.tenants.create(new Tenant.Form("globex", 2, 60, null, null), "test").block(WAIT);
		TenantUser ann = activeUser(acme, "ann@acme.test", "owner");
		activeUser(acme, "max@acme.test", "member");
		TenantUser gus = activeUser(globex.id(), "gus@globex.test", "owner");
		String acmeToken = this.tokens.issue(ann.principal(), "acme-script").block(WAIT).secret();
		TenantPrincipal gusPrincipal = gus.principal();
		EndpointSecret globexEndpoint = this.notifications
			.createEndpoint(gusPrincipal, "globex-hook", "http://127.0.0.1:9/globex")
			.block(WAIT);
		long globexRule = this.notifications
			.setLowBalance(gusPrincipal, globexEndpoint.endpoint().id(), new java.math.BigDecimal("3"), null)
			.block(WAIT)
			.id();
		this.db.sql("""
				INSERT INTO alert_delivery (endpoint_id, tenant_id, event_id, event_type, payload, status,
				    next_attempt_at) VALUES (:endpoint, :tenant, 'evt_globex_secret', 'test', '{}', 'failed', :now)""")
			.bind("endpoint", globexEndpoint.endpoint().id())
			.bind("tenant", globex.id())
			.bind("now", java.time.OffsetDateTime.now())
			.then()
			.block(WAIT);
		return new Fixture(acme, globex.id(), acmeToken, globexEndpoint.endpoint().id(), globexRule);
	}

	@Test
	void anOwnerSetsAWebhookAndALowBalanceThresholdAndSeesASignedTestDelivered() {
		PortalSession ann = PortalSession.login(this.http, "ann@acme.test", PASSWORD);
		EntityExchangeResult<byte[]> created = ann.post("/portal/notifications/endpoints",
				form("name", "ops-hook", "url", hook()));
		assertThat(created.getStatus().value()).isEqualTo(200);
		String secret = secretIn(new String(created.getResponseBody(), StandardCharsets.UTF_8));
		long endpoint = endpointId("ops-hook");

		assertThat(ann.postStatus("/portal/notifications/low-balance",
				form("endpointId", Long.toString(endpoint), "threshold", "5", "unit", "absolute")))
			.isEqualTo(303);
		assertThat(ann.get("/portal/notifications").getResponseBody())
			.contains("Alert when the balance falls below 5, posted to ops-hook.");
		// a second save replaces the threshold rather than adding a rule
		ann.post("/portal/notifications/low-balance",
				form("endpointId", Long.toString(endpoint), "threshold", "20", "unit", "percent"));
		assertThat(
				count("SELECT COUNT(*) FROM alert_rule WHERE kind = 'balance_below' AND tenant_id = " + fixture.acme))
			.isOne();

		assertThat(ann.postStatus("/portal/notifications/endpoints/" + endpoint + "/test", form())).isEqualTo(303);
		await().atMost(WAIT).until(() -> !this.received.isEmpty());
		Received delivery = this.received.get(0);
		assertThat(delivery.signature()).isEqualTo("v1=" + hmac(secret, delivery.timestamp(), delivery.body()));
		assertThat(delivery.body()).contains("\"type\":\"test\"").contains("\"tenant_id\":" + fixture.acme);
		await().atMost(WAIT).until(() -> ann.get("/portal/notifications").getResponseBody().contains(">delivered<"));
		String page = ann.get("/portal/notifications").getResponseBody();
		assertThat(page).contains(delivery.id())
			.doesNotContain(secret)
			.doesNotContainIgnoringCase("globex")
			.doesNotContain("id=\"tested\"");
		assertThat(ann.get("/portal/notifications?tested").getResponseBody()).contains("id=\"tested\"");

		// the audit trail names the tenant user, as for key changes
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE actor = 'tenant:acme/ann@acme.test' AND action IN "
				+ "('alert_endpoint.create', 'alert_rule.create', 'alert_rule.delete', 'alert_endpoint.test')"))
			.isEqualTo(5);
	}

	@Test
	void aTokenManagesNotificationsThroughTheTenantApi() {
		long audited = count(TOKEN_AUDIT);
		JsonNode created = call(HttpMethod.POST, "/api/tenant/notifications/endpoints",
				Map.of("name", "api-hook", "url", hook()), 201);
		String first = created.get("secret").asString();
		long endpoint = created.get("endpoint").get("id").asLong();
		assertThat(created.get("endpoint").get("tenantId").asLong()).isEqualTo(fixture.acme);
		JsonNode rule = call(HttpMethod.PUT, "/api/tenant/notifications/low-balance",
				Map.of("endpointId", endpoint, "threshold", "7.5"), 200);
		assertThat(rule.get("kind").asString()).isEqualTo("BALANCE_BELOW");
		assertThat(call(HttpMethod.POST, "/api/tenant/notifications/rules",
				Map.of("endpointId", endpoint, "kind", "account_health"), 400)
			.get("error")
			.asString()).contains("operator only");
		call(HttpMethod.POST, "/api/tenant/notifications/rules",
				Map.of("endpointId", endpoint, "kind", "key_expiring", "threshold", "3"), 201);
		JsonNode rotated = call(HttpMethod.POST, "/api/tenant/notifications/endpoints/" + endpoint + "/rotate-secret",
				null, 200);
		String second = rotated.get("secret").asString();
		assertThat(second).startsWith("whsec_").isNotEqualTo(first);
		assertThat(call(HttpMethod.GET, "/api/tenant/notifications/endpoints/" + endpoint, null, 200).toString())
			.doesNotContain("whsec_");

		long delivery = call(HttpMethod.POST, "/api/tenant/notifications/endpoints/" + endpoint + "/test", null, 202)
			.get("id")
			.asLong();
		await().atMost(WAIT)
			.until(() -> status(call(HttpMethod.GET, "/api/tenant/notifications/deliveries", null, 200), delivery)
				.equals("delivered"));
		Received got = this.received.get(this.received.size() - 1);
		// both secrets sign during the rotation's overlap
		assertThat(got.signature()).isEqualTo(
				"v1=" + hmac(second, got.timestamp(), got.body()) + ",v1=" + hmac(first, got.timestamp(), got.body()));

		call(HttpMethod.PUT, "/api/tenant/notifications/endpoints/" + endpoint, Map.of("url", hook() + "?moved=1"),
				200);
		assertThat(call(HttpMethod.PUT, "/api/tenant/notifications/low-balance", Map.of("endpointId", endpoint), 204))
			.isNull();
		// create, rotate, test, update; two rules created, one deleted
		assertThat(count(TOKEN_AUDIT)).isEqualTo(audited + 7);
	}

	@Test
	void webhookUrlsThatPointInsideAreRefusedAndNothingIsSaved() {
		long before = count("SELECT COUNT(*) FROM alert_endpoint");
		for (String url : List.of("https://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook",
				"https://user:pw@hooks.example.com/", "https://0xa9fea9fe/", "https://2852039166/",
				"https://[::ffff:a9fe:a9fe]/", "https://[::ffff:10.0.0.1]/", "https://localhost/", "https://[fd00::1]/",
				"https://[fe80::1]/", "https://100.64.1.1/", "http://127.0.0.2:80/", "https://0177.0.0.2/",
				"gopher://hooks.example.com/", "not a url")) {
			JsonNode refused = call(HttpMethod.POST, "/api/tenant/notifications/endpoints", Map.of("url", url), 400);
			assertThat(refused.get("error").asString()).as(url)
				.containsPattern("Webhook URL refused|URL is not valid|absolute http or https");
		}
		PortalSession ann = PortalSession.login(this.http, "ann@acme.test", PASSWORD);
		EntityExchangeResult<byte[]> page = ann.post("/portal/notifications/endpoints",
				form("url", "https://169.254.169.254/"));
		assertThat(page.getStatus().value()).isEqualTo(400);
		assertThat(new String(page.getResponseBody(), StandardCharsets.UTF_8))
			.contains("169.254.169.254, a link-local address");
		assertThat(count("SELECT COUNT(*) FROM alert_endpoint")).isEqualTo(before);
	}

	@Test
	void aDeliveryToAnAddressThatBecameInternalIsRecordedFailedWithoutAnAttempt() {
		long endpoint = call(HttpMethod.POST, "/api/tenant/notifications/endpoints",
				Map.of("name", "turned", "url", hook()), 201)
			.get("endpoint")
			.get("id")
			.asLong();
		// the name now leads somewhere internal (as after a DNS change)
		this.db.sql("UPDATE alert_endpoint SET url = 'https://169.254.169.254/latest' WHERE id = :id")
			.bind("id", endpoint)
			.then()
			.block(WAIT);
		long delivery = call(HttpMethod.POST, "/api/tenant/notifications/endpoints/" + endpoint + "/test", null, 202)
			.get("id")
			.asLong();
		await().atMost(WAIT)
			.until(() -> status(call(HttpMethod.GET, "/api/tenant/notifications/deliveries", null, 200), delivery)
				.equals("failed"));
		JsonNode failed = find(call(HttpMethod.GET, "/api/tenant/notifications/deliveries", null, 200), delivery);
		assertThat(failed.get("attempts").asInt()).isZero();
		assertThat(failed.get("lastError").asString())
			.isEqualTo("Refused, not sent: 169.254.169.254, a link-local address");
		PortalSession ann = PortalSession.login(this.http, "ann@acme.test", PASSWORD);
		assertThat(ann.get("/portal/notifications").getResponseBody())
			.contains("Refused, not sent: 169.254.169.254, a link-local address");
	}

	@Test
	void membersReadNotificationsButCannotChangeThem() {
		long endpoint = call(HttpMethod.POST, "/api/tenant/notifications/endpoints",
				Map.of("name", "members-see", "url", hook()), 201)
			.get("endpoint")
			.get("id")
			.asLong();
		PortalSession max = PortalSession.login(this.http, "max@acme.test", PASSWORD);
		EntityExchangeResult<String> page = max.get("/portal/notifications");
		assertThat(page.getStatus().value()).isEqualTo(200);
		assertThat(page.getResponseBody()).contains("members-see")
			.contains("Only your tenant's owner can change notifications")
			.doesNotContain("id=\"create-endpoint\"")
			.doesNotContain("Send test");
		for (String path : List.of("/portal/notifications/endpoints", "/portal/notifications/low-balance",
				"/portal/notifications/rules", "/portal/notifications/endpoints/" + endpoint + "/test",
				"/portal/notifications/endpoints/" + endpoint + "/rotate",
				"/portal/notifications/endpoints/" + endpoint + "/delete",
				"/portal/notifications/endpoints/" + endpoint)) {
			assertThat(max.postStatus(path, form("url", hook(), "endpointId", Long.toString(endpoint), "threshold", "1",
					"kind", "key_expiring")))
				.as(path)
				.isEqualTo(403);
		}
		assertThat(count("SELECT COUNT(*) FROM alert_endpoint WHERE tenant_id = " + fixture.acme
				+ " AND name = 'members-see' AND url = '" + hook() + "'"))
			.isOne();
		assertThat(
				count("SELECT COUNT(*) FROM audit_event WHERE actor LIKE 'tenant:acme/max%' AND action LIKE 'alert%'"))
			.isZero();
	}

	@Test
	void anotherTenantsEndpointsRulesAndDeliveriesAreNotFoundByRealOrGuessedIds() {
		PortalSession ann = PortalSession.login(this.http, "ann@acme.test", PASSWORD);
		List<String> tried = new java.util.ArrayList<>();
		for (RouteInfo route : routes()) {
			for (String id : List.of(Long.toString(fixture.globexEndpoint), Long.toString(fixture.globexRule),
					"999999")) {
				String path = route.template().replaceAll("\\{[^}]+}", id);
				int status;
				if (path.startsWith("/portal")) {
					status = route.method().equals("GET") ? ann.status(path)
							: ann.postStatus(path, form("url", hook(), "name", "hijacked", "enabled", "false"));
				}
				else {
					WebTestClient.RequestBodySpec request = this.http.method(HttpMethod.valueOf(route.method()))
						.uri(path)
						.header("Authorization", "Bearer " + fixture.acmeToken);
					status = (route.method().equals("GET") || route.method().equals("DELETE"))
							? request.exchange().returnResult(String.class).getStatus().value()
							: request.contentType(MediaType.APPLICATION_JSON)
								.bodyValue(Map.of("url", hook(), "name", "hijacked", "enabled", false))
								.exchange()
								.returnResult(String.class)
								.getStatus()
								.value();
				}
				assertThat(status).as(route.method() + " " + path).isEqualTo(404);
				tried.add(route.method() + " " + path);
			}
		}
		assertThat(tried).hasSizeGreaterThanOrEqualTo(3 * 13);
		// rules and low-balance settings naming globex's endpoint are not found either
		call(HttpMethod.POST, "/api/tenant/notifications/rules",
				Map.of("endpointId", fixture.globexEndpoint, "kind", "key_expiring"), 404);
		call(HttpMethod.PUT, "/api/tenant/notifications/low-balance",
				Map.of("endpointId", fixture.globexEndpoint, "threshold", "1"), 404);
		assertThat(ann.postStatus("/portal/notifications/low-balance",
				form("endpointId", Long.toString(fixture.globexEndpoint), "threshold", "1")))
			.isEqualTo(404);
		// the lists hold only acme's
		for (String list : List.of("endpoints", "rules", "deliveries")) {
			assertThat(call(HttpMethod.GET, "/api/tenant/notifications/" + list, null, 200).toString()).as(list)
				.doesNotContain("globex")
				.doesNotContain("\"tenantId\":" + fixture.globex);
		}
		assertThat(ann.get("/portal/notifications").getResponseBody()).doesNotContainIgnoringCase("globex");
		// and globex's are as they were
		assertThat(count("SELECT COUNT(*) FROM alert_endpoint WHERE id = " + fixture.globexEndpoint
				+ " AND enabled AND name = 'globex-hook' AND url = 'http://127.0.0.1:9/globex' AND previous_until IS NULL"))
			.isOne();
		assertThat(count("SELECT COUNT(*) FROM alert_rule WHERE id = " + fixture.globexRule)).isOne();
		assertThat(count("SELECT COUNT(*) FROM alert_delivery WHERE endpoint_id = " + fixture.globexEndpoint)).isOne();
	}

	/** The notification routes with an id: method and template. */
	private List<RouteInfo> routes() {
		List<RouteInfo> routes = new java.util.ArrayList<>();
		this.mappings.getHandlerMethods().keySet().forEach((info) -> {
			for (var pattern : info.getPatternsCondition().getPatterns()) {
				String template = pattern.getPatternString();
				if ((template.startsWith("/portal/notifications") || template.startsWith("/api/tenant/notifications"))
						&& template.contains("{")) {
					info.getMethodsCondition()
						.getMethods()
						.forEach((method) -> routes.add(new RouteInfo(method.name(), template)));
				}
			}
		});
		return routes;
	}

	private JsonNode call(HttpMethod method, String path, Object body, int status) {
		WebTestClient.RequestBodySpec request = this.http.method(method)
			.uri(path)
			.header("Authorization", "Bearer " + fixture.acmeToken);
		EntityExchangeResult<String> result = ((body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as(method + " " + path + ": " + result.getResponseBody())
			.isEqualTo(status);
		return (result.getResponseBody() != null) ? JsonMapper.builder().build().readTree(result.getResponseBody())
				: null;
	}

	private static String status(JsonNode deliveries, long id) {
		JsonNode delivery = find(deliveries, id);
		return (delivery != null) ? delivery.get("status").asString() : "";
	}

	private static JsonNode find(JsonNode deliveries, long id) {
		for (JsonNode delivery : deliveries) {
			if (delivery.get("id").asLong() == id) {
				return delivery;
			}
		}
		return null;
	}

	private String hook() {
		return "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hook";
	}

	private long endpointId(String name) {
		return count("SELECT id FROM alert_endpoint WHERE name = '" + name + "'");
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(WAIT);
	}

	private TenantUser activeUser(long tenantId, String login, String role) {
		TenantUser.Invited invited = this.users.create(tenantId, login, role, "root").block(WAIT);
		return this.users.setPassword(invited.token(), this.passwords.encode(PASSWORD)).block(WAIT);
	}

	private static String secretIn(String page) {
		Matcher matcher = SECRET.matcher(page);
		assertThat(matcher.find()).as("a secret on the page").isTrue();
		return matcher.group(1);
	}

	/** The signature, computed here from the algorithm's definition. */
	private static String hmac(String secret, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Received(String id, String timestamp, String signature, String body) {
	}

	record RouteInfo(String method, String template) {
	}

	record Fixture(long acme, long globex, String acmeToken, long globexEndpoint, long globexRule) {
	}

}
