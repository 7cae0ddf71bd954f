package io.tollgate.admin.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.admin.TestClients;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.admin.RedactionSetting;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.directory.RedactionPolicy;
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
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant sets the PII redaction policy of its own keys, in the portal and through the
 * tenant API, within what the key's group allows, and never on another tenant's key.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PortalKeyRedactionTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String PASSWORD = "portal-password-456";

	static final String LOGIN = "rita@acme.test";

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
	RedactionAdmin redaction;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	@BeforeEach
	void setUp() {
		this.http = TestClients.http(this.port);
		if (fixture == null) {
			fixture = fixture();
		}
		this.db.sql("DELETE FROM redaction_policy").then().block(WAIT);
	}

	private Fixture fixture() {
		Tenant acme = this.tenants.list()
			.block(WAIT)
			.stream()
			.filter((t) -> t.name().equals("acme"))
			.findFirst()
			.orElseThrow();
		ApiKeyInfo acmeKey = this.keys.list(acme.id()).block(WAIT).get(0);
		Tenant initech = this.tenants.create(new Tenant.Form("initech", 2, 60, null, null), "test").block(WAIT);
		ApiKeyInfo.Issued initechKey = this.keys.issue(initech.id(), "initech-key",
				new ApiKeyInfo.Settings(acmeKey.groupId(), null, List.of(), List.of(), null, null, null, null), "test")
			.block(WAIT);
		TenantUser rita = this.users.create(acme.id(), LOGIN, "owner", "root")
			.flatMap((invited) -> this.users.setPassword(invited.token(), this.passwords.encode(PASSWORD)))
			.block(WAIT);
		TenantUser bob = this.users.create(initech.id(), "bob@initech.test", "owner", "root")
			.flatMap((invited) -> this.users.setPassword(invited.token(), this.passwords.encode(PASSWORD)))
			.block(WAIT);
		String acmeToken = this.tokens.issue(rita.principal(), "acme-redaction").block(WAIT).secret();
		String initechToken = this.tokens.issue(bob.principal(), "initech-redaction").block(WAIT).secret();
		return new Fixture(acmeKey.id(), acmeKey.groupId(), initechKey.key().id(), acmeToken, initechToken);
	}

	@Test
	void theTenantApiSetsShowsAndClearsAKeysOwnPolicy() {
		JsonNode initial = call(HttpMethod.GET, fixture.acmeKey, null, fixture.acmeToken, 200);
		assertThat(initial.get("group").get("mode").asString()).isEqualTo("ALLOWED");
		assertThat(initial.get("key").isNull()).isTrue();
		assertThat(initial.get("effectiveMode").asString()).isEqualTo("allowed");

		JsonNode set = call(HttpMethod.PUT, fixture.acmeKey, Map.of("mode", "enforced", "entities",
				List.of("email", "credit_card"), "custom", List.of("Project Falcon", "/ACME-[0-9]{4}/")),
				fixture.acmeToken, 200);
		assertThat(set.get("effectiveMode").asString()).isEqualTo("enforced");
		assertThat(set.get("key").get("entities").toString()).isEqualTo("[\"email\",\"credit_card\"]");
		RedactionSetting stored = keyPolicy(fixture.acmeKey);
		assertThat(stored.policy().mode()).isEqualTo(RedactionPolicy.Mode.ENFORCED);
		assertThat(stored.policy().custom()).containsExactly("Project Falcon", "/ACME-[0-9]{4}/");
		assertThat(this.db.sql("SELECT actor FROM audit_event WHERE action = 'redaction.set' ORDER BY id DESC")
			.map((row) -> row.get("actor", String.class))
			.first()
			.block(WAIT)).isEqualTo("tenant:acme/token:acme-redaction");

		JsonNode cleared = call(HttpMethod.DELETE, fixture.acmeKey, null, fixture.acmeToken, 200);
		assertThat(cleared.get("key").isNull()).isTrue();
		assertThat(this.redaction.list().block(WAIT)).isEmpty();
	}

	@Test
	void malformedPoliciesAreRefusedInTheApisErrorShape() {
		// entity names and custom patterns are checked against the gateway's detectors
		// where the gateway runs (RedactionEndToEndTests); here the policy's own rules
		for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("entities", List.of("email")),
				Map.of("mode", "sometimes"), Map.of("mode", "enforced"))) {
			JsonNode problem = call(HttpMethod.PUT, fixture.acmeKey, body, fixture.acmeToken, 400);
			assertThat(problem.get("error").asString()).as(body.toString()).isNotBlank();
		}
		assertThat(this.redaction.list().block(WAIT)).isEmpty();
	}

	@Test
	void aKeyStaysWithinWhatItsGroupAllows() {
		this.redaction
			.setForGroup(fixture.group, new RedactionPolicy(RedactionPolicy.Mode.OFF, List.of(), List.of()), "root")
			.block(WAIT);
		JsonNode view = call(HttpMethod.GET, fixture.acmeKey, null, fixture.acmeToken, 200);
		assertThat(view.get("modes").toString()).isEqualTo("[\"off\"]");
		for (String mode : List.of("allowed", "enforced")) {
			JsonNode problem = call(HttpMethod.PUT, fixture.acmeKey, Map.of("mode", mode, "entities", List.of("email")),
					fixture.acmeToken, 400);
			assertThat(problem.get("error").asString()).contains("off for this key's group");
		}
		assertThat(call(HttpMethod.PUT, fixture.acmeKey, Map.of("mode", "off"), fixture.acmeToken, 200)
			.get("effectiveMode")
			.asString()).isEqualTo("off");

		// a group that enforces keeps enforcing: the key may still choose its own mode
		this.redaction
			.setForGroup(fixture.group,
					new RedactionPolicy(RedactionPolicy.Mode.ENFORCED, List.of("secret"), List.of()), "root")
			.block(WAIT);
		assertThat(call(HttpMethod.PUT, fixture.acmeKey, Map.of("mode", "allowed"), fixture.acmeToken, 200).get("group")
			.get("entities")
			.toString()).isEqualTo("[\"secret\"]");
	}

	@Test
	void thePortalKeyPageSetsAndClearsThePolicy() {
		PortalSession rita = PortalSession.login(this.http, LOGIN, PASSWORD);
		String path = "/portal/keys/" + fixture.acmeKey;
		assertThat(rita.get(path).getResponseBody()).contains("id=\"key-redaction\"")
			.contains("id=\"redaction-effective-mode\">allowed<");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("mode", "enforced");
		form.add("entities", "email");
		form.add("entities", "us_ssn");
		form.add("custom", "Project Falcon\r\n/ACME-[0-9]{4}/\r\n");
		EntityExchangeResult<byte[]> saved = rita.post(path + "/redaction", form);
		assertThat(saved.getResponseHeaders().getLocation()).hasToString(path);
		RedactionSetting stored = keyPolicy(fixture.acmeKey);
		assertThat(stored.policy().entities()).containsExactly("email", "us_ssn");
		assertThat(stored.policy().custom()).containsExactly("Project Falcon", "/ACME-[0-9]{4}/");
		String page = rita.get(path).getResponseBody();
		assertThat(page).contains("id=\"redaction-effective-mode\">enforced<")
			.contains("id=\"clear-key-redaction\"")
			.contains("Project Falcon");
		assertThat(rita.postStatus(path + "/redaction", PortalSession.form("mode", "sometimes"))).isEqualTo(400);
		assertThat(rita.post(path + "/redaction/clear", PortalSession.form()).getResponseHeaders().getLocation())
			.hasToString(path);
		assertThat(this.redaction.list().block(WAIT)).isEmpty();
	}

	@Test
	void anotherTenantsKeyIsNotFoundAndStaysUntouched() {
		this.redaction
			.setForKey(fixture.initechKey,
					new RedactionPolicy(RedactionPolicy.Mode.ENFORCED, List.of("email"), List.of()), "root")
			.block(WAIT);
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
			EntityExchangeResult<String> result = exchange(method, fixture.initechKey, Map.of("mode", "off"),
					fixture.acmeToken);
			assertThat(result.getStatus().value()).as(method.name()).isEqualTo(404);
			assertThat(result.getResponseBody()).doesNotContain("initech");
		}
		PortalSession rita = PortalSession.login(this.http, LOGIN, PASSWORD);
		assertThat(
				rita.postStatus("/portal/keys/" + fixture.initechKey + "/redaction", PortalSession.form("mode", "off")))
			.isEqualTo(404);
		assertThat(rita.postStatus("/portal/keys/" + fixture.initechKey + "/redaction/clear", PortalSession.form()))
			.isEqualTo(404);
		assertThat(keyPolicy(fixture.initechKey).policy().mode()).isEqualTo(RedactionPolicy.Mode.ENFORCED);
		assertThat(call(HttpMethod.GET, fixture.initechKey, null, fixture.initechToken, 200).get("effectiveMode")
			.asString()).isEqualTo("enforced");
	}

	private RedactionSetting keyPolicy(long keyId) {
		return this.redaction.list()
			.block(WAIT)
			.stream()
			.filter((s) -> s.scope().equals("key") && s.targetId() == keyId)
			.findFirst()
			.orElseThrow();
	}

	private JsonNode call(HttpMethod method, long keyId, Object body, String token, int status) {
		EntityExchangeResult<String> result = exchange(method, keyId, body, token);
		assertThat(result.getStatus().value()).as(method + " " + result.getResponseBody()).isEqualTo(status);
		return JsonMapper.builder().build().readTree(result.getResponseBody());
	}

	private EntityExchangeResult<String> exchange(HttpMethod method, long keyId, Object body, String token) {
		WebTestClient.RequestBodySpec request = this.http.method(method)
			.uri("/api/tenant/keys/" + keyId + "/redaction")
			.header("Authorization", "Bearer " + token);
		WebTestClient.RequestHeadersSpec<?> sent = (body != null && method == HttpMethod.PUT)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
		return sent.exchange().expectBody(String.class).returnResult();
	}

	record Fixture(long acmeKey, long group, long initechKey, String acmeToken, String initechToken) {
	}

}
