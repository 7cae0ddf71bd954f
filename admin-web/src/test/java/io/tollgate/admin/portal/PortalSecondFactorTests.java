package io.tollgate.admin.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.admin.ConsoleSession;
import io.tollgate.admin.TestClients;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.secondfactor.TotpCodes;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.admin.portal.PortalSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's TOTP second factor over HTTP: a tenant user sets it up, a password alone
 * reaches nothing, a code completes the login once, a recovery code once, wrong codes are
 * throttled and counted, the user switches it off with a code, and an admin resets it.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PortalSecondFactorTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String PASSWORD = "portal-password-123";

	static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");

	static final Pattern RECOVERY = Pattern.compile("<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantAdmin tenants;

	@Autowired
	TenantUsers users;

	@Autowired
	SecondFactors factors;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	PortalMetrics metrics;

	@Autowired
	DatabaseClient db;

	@Autowired
	AdminTokens tokens;

	WebTestClient http;

	@BeforeEach
	void setUp() {
		this.http = TestClients.http(this.port);
	}

	@Test
	void aTenantUserLogsInWithPasswordThenCode() {
		TenantUser ann = activeUser("ann@tf.test");
		PortalSession portal = PortalSession.login(this.http, ann.login(), PASSWORD);
		assertThat(portal.post("/portal/security/enrol", form()).getResponseHeaders().getLocation())
			.hasToString("/portal/security");
		String page = portal.get("/portal/security").getResponseBody();
		assertThat(page).contains("<svg").contains("otpauth://totp/Tollgate:ann%40tf.test?secret=");
		Matcher secretMatch = SECRET.matcher(page);
		assertThat(secretMatch.find()).isTrue();
		String secret = secretMatch.group(1);
		EntityExchangeResult<byte[]> confirmed = portal.post("/portal/security/confirm", form("code", code(secret, 0)));
		List<String> recovery = new ArrayList<>();
		Matcher codes = RECOVERY.matcher(new String(confirmed.getResponseBody()));
		while (codes.find()) {
			recovery.add(codes.group(1));
		}
		assertThat(recovery).hasSize(SecondFactors.RECOVERY_CODES);

		double before = counted("code");
		PortalSession next = PortalSession.anonymous(this.http);
		assertThat(next.post("/portal/login", form("username", ann.login(), "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal/login/code");
		assertNoAccess(next);
		assertThat(next.post("/portal/login/code", form("code", "000000")).getResponseHeaders().getLocation())
			.hasToString("/portal/login/code?error");
		assertNoAccess(next);
		String current = code(secret, 1);
		assertThat(next.post("/portal/login/code", form("code", current)).getResponseHeaders().getLocation())
			.hasToString("/portal");
		assertThat(next.status("/portal")).isEqualTo(200);
		assertThat(counted("code")).isEqualTo(before + 1);

		// replayed code refused; recovery code once
		PortalSession replay = PortalSession.anonymous(this.http);
		replay.post("/portal/login", form("username", ann.login(), "password", PASSWORD));
		assertThat(replay.post("/portal/login/code", form("code", current)).getResponseHeaders().getLocation())
			.hasToString("/portal/login/code?error");
		assertThat(counted("replayed")).isPositive();
		assertThat(replay.post("/portal/login/code", form("code", recovery.get(1))).getResponseHeaders().getLocation())
			.hasToString("/portal");
		PortalSession again = PortalSession.anonymous(this.http);
		again.post("/portal/login", form("username", ann.login(), "password", PASSWORD));
		assertThat(again.post("/portal/login/code", form("code", recovery.get(1))).getResponseHeaders().getLocation())
			.hasToString("/portal/login/code?error");
		assertNoAccess(again);

		// switched off with a recovery code: the password alone logs in again
		assertThat(replay.postStatus("/portal/security/disable", form("code", "000000"))).isEqualTo(400);
		assertThat(replay.post("/portal/security/disable", form("code", recovery.get(2)))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal/security?off");
		assertThat(PortalSession.anonymous(this.http)
			.post("/portal/login", form("username", ann.login(), "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal");
		assertThat(count(
				"SELECT COUNT(*) FROM audit_event WHERE action = 'totp.disable' AND target_id = '" + ann.id() + "'"))
			.isOne();
	}

	@Test
	void wrongCodesAreThrottled() {
		TenantUser tom = activeUser("tom@tf.test");
		String secret = enrol(tom);
		PortalSession session = PortalSession.anonymous(this.http);
		session.post("/portal/login", form("username", tom.login(), "password", PASSWORD));
		for (int i = 0; i < 5; i++) {
			assertThat(session.post("/portal/login/code", form("code", "11111" + i)).getResponseHeaders().getLocation())
				.hasToString("/portal/login/code?error");
		}
		assertThat(session.post("/portal/login/code", form("code", code(secret, 1))).getResponseHeaders().getLocation())
			.hasToString("/portal/login?locked");
		assertNoAccess(session);
		assertThat(counted("locked")).isPositive();
		assertThat(counted("wrong")).isGreaterThanOrEqualTo(5);
	}

	@Test
	void anAdminResetsATenantUsersSecondFactor() {
		TenantUser una = activeUser("una@tf.test");
		enrol(una);
		assertThat(PortalSession.anonymous(this.http)
			.post("/portal/login", form("username", una.login(), "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal/login/code");
		ConsoleSession root = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		assertThat(root.get("/admin/portal?tenantId=" + una.tenantId()).getResponseBody())
			.contains("/admin/portal/users/" + una.id() + "/totp/reset");
		// the wrong tenant's id finds no such user
		assertThat(root
			.postStatus("/admin/portal/users/" + una.id() + "/totp/reset",
					ConsoleSession.form("tenantId", Long.toString(una.tenantId() + 1000)))
			.value()).isEqualTo(404);
		assertThat(root
			.post("/admin/portal/users/" + una.id() + "/totp/reset",
					ConsoleSession.form("tenantId", Long.toString(una.tenantId())))
			.getResponseHeaders()
			.getLocation()).hasToString("/admin/portal?tenantId=" + una.tenantId());
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'totp.reset' AND target_type = 'tenant_user' "
				+ "AND target_id = '" + una.id() + "' AND actor = '" + AdminTestSupport.ADMIN + "'"))
			.isOne();
		assertThat(PortalSession.anonymous(this.http)
			.post("/portal/login", form("username", una.login(), "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal");
	}

	@Test
	void anAdminResetsItThroughTheApiOnlyForThatTenantsUser() {
		TenantUser vic = activeUser("vic@tf.test");
		enrol(vic);
		String token = this.tokens.issue("totp-reset-" + System.nanoTime(), "admin", "test")
			.block(Duration.ofSeconds(10))
			.secret();
		String path = "/api/admin/tenants/%d/users/" + vic.id() + "/second-factor/reset";
		// another tenant's id finds no such user, and nothing is reset
		this.http.post()
			.uri(String.format(path, vic.tenantId() + 1000))
			.header("Authorization", "Bearer " + token)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(this.factors.enabled(SecondFactorSubject.tenant(vic.id(), vic.login())).block(WAIT)).isTrue();
		this.http.post()
			.uri(String.format(path, vic.tenantId()))
			.header("Authorization", "Bearer " + token)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(this.factors.enabled(SecondFactorSubject.tenant(vic.id(), vic.login())).block(WAIT)).isFalse();
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'totp.reset' AND target_type = 'tenant_user' "
				+ "AND target_id = '" + vic.id() + "'"))
			.isOne();
		assertThat(PortalSession.anonymous(this.http)
			.post("/portal/login", form("username", vic.login(), "password", PASSWORD))
			.getResponseHeaders()
			.getLocation()).hasToString("/portal");
	}

	private void assertNoAccess(PortalSession session) {
		for (String path : List.of("/portal", "/portal/security", "/portal/keys")) {
			EntityExchangeResult<String> result = session.get(path);
			assertThat(result.getStatus().value()).as(path).isEqualTo(302);
			assertThat(result.getResponseHeaders().getLocation()).as(path).hasToString("/portal/login");
		}
	}

	private TenantUser activeUser(String login) {
		Tenant tenant = this.tenants.create(Tenant.Form.named("tf-" + login.substring(0, 3)), "test").block(WAIT);
		TenantUser.Invited invited = this.users.create(tenant.id(), login, "owner", "test").block(WAIT);
		return this.users.setPassword(invited.token(), this.passwords.encode(PASSWORD)).block(WAIT);
	}

	private String enrol(TenantUser user) {
		SecondFactorSubject subject = SecondFactorSubject.tenant(user.id(), user.login());
		var enrolment = this.factors.begin(subject).block(WAIT);
		this.factors.confirm(subject, code(enrolment.secret(), 0), "test").block(WAIT);
		return enrolment.secret();
	}

	private double counted(String result) {
		var counter = this.metrics.registry()
			.find("tollgate.login.second_factor")
			.tags("realm", "portal", "result", result)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	static String code(String secret, int offset) {
		return TotpCodes.code(secret, TotpCodes.step(Instant.now()) + offset);
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(WAIT);
	}

}
