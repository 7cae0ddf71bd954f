package io.tollgate.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.billing.admin.ConsoleUser;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.secondfactor.Enrolment;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.secondfactor.TotpCodes;
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

import static io.tollgate.admin.ConsoleSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's TOTP second factor over HTTP: set up from the security page, then a
 * password alone reaches nothing, a current code completes the login once, a recovery
 * code once, wrong codes count in the login throttle, and another admin can reset it.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleSecondFactorTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String PASSWORD = "second-factor-password";

	static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");

	static final Pattern RECOVERY = Pattern.compile("<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	ConsoleUsers users;

	@Autowired
	SecondFactors factors;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	DatabaseClient db;

	WebTestClient http;

	@BeforeEach
	void setUp() {
		this.http = TestClients.http(this.port);
	}

	@Test
	void aPasswordAloneReachesNothingAndACodeOrRecoveryCodeWorksOnce() {
		user("fay", "finance");
		ConsoleSession fay = ConsoleSession.login(this.http, "fay", PASSWORD);
		assertThat(fay.post("/admin/security/enrol", form()).getResponseHeaders().getLocation())
			.hasToString("/admin/security");
		String page = fay.get("/admin/security").getResponseBody();
		assertThat(page).contains("<svg").contains("otpauth://totp/Tollgate:fay?secret=");
		Matcher secretMatch = SECRET.matcher(page);
		assertThat(secretMatch.find()).isTrue();
		String secret = secretMatch.group(1);
		EntityExchangeResult<byte[]> wrongConfirm = fay.post("/admin/security/confirm", form("code", "000000"));
		assertThat(wrongConfirm.getStatus().value()).isEqualTo(400);
		EntityExchangeResult<byte[]> confirmed = fay.post("/admin/security/confirm", form("code", code(secret, 0)));
		assertThat(confirmed.getStatus().value()).isEqualTo(200);
		List<String> recovery = new ArrayList<>();
		Matcher codes = RECOVERY.matcher(new String(confirmed.getResponseBody()));
		while (codes.find()) {
			recovery.add(codes.group(1));
		}
		assertThat(recovery).hasSize(SecondFactors.RECOVERY_CODES);
		assertThat(fay.get("/admin/security").getResponseBody()).doesNotContain(recovery.get(0))
			.doesNotContain(secret)
			.contains("10 recovery codes left");

		// the password is right: a session, but no access, until the code
		ConsoleSession next = ConsoleSession.anonymous(this.http);
		assertThat(next.attemptLogin("fay", PASSWORD).getResponseHeaders().getLocation())
			.hasToString("/admin/login/code");
		assertNoAccess(next);
		assertThat(next.get("/admin/login/code").getResponseBody()).contains("id=\"code\"");
		assertThat(next.post("/admin/login/code", form("code", "000000")).getResponseHeaders().getLocation())
			.hasToString("/admin/login/code?error");
		assertNoAccess(next);
		String current = code(secret, 1);
		assertThat(next.post("/admin/login/code", form("code", current)).getResponseHeaders().getLocation())
			.hasToString("/admin");
		assertThat(next.get("/admin").getStatus().value()).isEqualTo(200);

		// the same code again is a replay
		ConsoleSession replay = ConsoleSession.anonymous(this.http);
		replay.attemptLogin("fay", PASSWORD);
		assertThat(replay.post("/admin/login/code", form("code", current)).getResponseHeaders().getLocation())
			.hasToString("/admin/login/code?error");
		assertNoAccess(replay);
		// a recovery code works, once
		assertThat(replay.post("/admin/login/code", form("code", recovery.get(0).toUpperCase()))
			.getResponseHeaders()
			.getLocation()).hasToString("/admin");
		assertThat(replay.get("/admin").getStatus().value()).isEqualTo(200);
		ConsoleSession again = ConsoleSession.anonymous(this.http);
		again.attemptLogin("fay", PASSWORD);
		assertThat(again.post("/admin/login/code", form("code", recovery.get(0))).getResponseHeaders().getLocation())
			.hasToString("/admin/login/code?error");
		assertNoAccess(again);
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'totp.enable' AND actor = 'fay'")).isOne();
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'totp.recovery.use' AND actor = 'fay'"))
			.isOne();
		// codes and secrets are nowhere in the audit trail
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE detail LIKE '%" + current + "%' OR detail LIKE '%"
				+ secret + "%' OR detail LIKE '%" + recovery.get(0) + "%'"))
			.isZero();
	}

	@Test
	void wrongCodesCountInTheLoginThrottle() {
		ConsoleUser tess = user("tess", "admin");
		String secret = enrol(tess);
		ConsoleSession session = ConsoleSession.anonymous(this.http);
		session.attemptLogin("tess", PASSWORD);
		for (int i = 0; i < 5; i++) {
			assertThat(session.post("/admin/login/code", form("code", "99999" + i)).getResponseHeaders().getLocation())
				.hasToString("/admin/login/code?error");
		}
		assertThat(session.post("/admin/login/code", form("code", code(secret, 1))).getResponseHeaders().getLocation())
			.hasToString("/admin/login?locked");
		assertNoAccess(session);
		// and the password step is refused too while locked
		assertThat(
				ConsoleSession.anonymous(this.http).attemptLogin("tess", PASSWORD).getResponseHeaders().getLocation())
			.hasToString("/admin/login?locked");
	}

	@Test
	void anotherAdminResetsASecondFactorButNotTheirOwn() {
		ConsoleUser ida = user("ida", "admin");
		enrol(ida);
		ConsoleSession root = ConsoleSession.login(this.http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
		assertThat(root.get("/admin/users").getResponseBody()).contains("/admin/users/ida/totp/reset");
		assertThat(root.postStatus("/admin/users/" + AdminTestSupport.ADMIN + "/totp/reset", form()).value())
			.isEqualTo(400);
		assertThat(root.post("/admin/users/ida/totp/reset", form()).getResponseHeaders().getLocation())
			.hasToString("/admin/users");
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'totp.reset' AND actor = '"
				+ AdminTestSupport.ADMIN + "' AND target_id = '" + ida.id() + "'"))
			.isOne();
		// the password alone logs in again
		assertThat(ConsoleSession.anonymous(this.http).attemptLogin("ida", PASSWORD).getResponseHeaders().getLocation())
			.hasToString("/admin");
		// a finance user may not reset anyone's
		user("fin", "finance");
		ConsoleSession fin = ConsoleSession.login(this.http, "fin", PASSWORD);
		assertThat(fin.postStatus("/admin/users/ida/totp/reset", form()).value()).isEqualTo(403);
	}

	@Test
	void theCodeStepWithoutAPasswordSendsBackToTheLogin() {
		ConsoleSession anonymous = ConsoleSession.anonymous(this.http);
		assertThat(anonymous.post("/admin/login/code", form("code", "123456")).getResponseHeaders().getLocation())
			.hasToString("/admin/login?expired");
		assertNoAccess(anonymous);
	}

	private void assertNoAccess(ConsoleSession session) {
		for (String path : List.of("/admin", "/admin/security", "/admin/tenants")) {
			EntityExchangeResult<String> result = session.get(path);
			assertThat(result.getStatus().value()).as(path).isEqualTo(302);
			assertThat(result.getResponseHeaders().getLocation()).as(path).hasToString("/admin/login");
		}
	}

	private ConsoleUser user(String name, String role) {
		return this.users.create(name, this.passwords.encode(PASSWORD), role, "test").block(WAIT);
	}

	private String enrol(ConsoleUser user) {
		SecondFactorSubject subject = SecondFactorSubject.console(user.id(), user.username());
		Enrolment enrolment = this.factors.begin(subject).block(WAIT);
		this.factors.confirm(subject, code(enrolment.secret(), 0), "test").block(WAIT);
		return enrolment.secret();
	}

	/** The code of a step relative to the current one. */
	static String code(String secret, int offset) {
		return TotpCodes.code(secret, TotpCodes.step(Instant.now()) + offset);
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(WAIT);
	}

}
