package io.tollgate.admin;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.billing.secondfactor.TotpCodes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.tollgate.admin.ConsoleSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code tollgate.admin.totp.required}, a console user without a second factor
 * reaches only the page that sets it up, and cannot switch it off once on. The code step
 * is given a millisecond here, so that it has expired by the time a code arrives.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleSecondFactorRequiredTests {

	static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
		registry.add("tollgate.admin.totp.required", () -> "true");
		registry.add("tollgate.admin.totp.code-timeout", () -> "1ms");
	}

	@LocalServerPort
	int port;

	@Test
	void anAdminWithoutASecondFactorMustSetItUpFirst() {
		ConsoleSession root = ConsoleSession.anonymous(TestClients.http(this.port));
		assertThat(
				root.attemptLogin(AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD).getResponseHeaders().getLocation())
			.hasToString("/admin/security?required");
		for (String path : new String[] { "/admin", "/admin/tenants", "/admin/users" }) {
			assertThat(root.get(path).getResponseHeaders().getLocation()).as(path)
				.hasToString("/admin/security?required");
		}
		assertThat(root.postStatus("/admin/tenants", form("name", "sneaky")).value()).isEqualTo(302);
		assertThat(root.get("/admin/security?required").getResponseBody()).contains("id=\"totp-required\"");
		root.post("/admin/security/enrol", form());
		Matcher secret = SECRET.matcher(root.get("/admin/security").getResponseBody());
		assertThat(secret.find()).isTrue();
		String code = TotpCodes.code(secret.group(1), TotpCodes.step(Instant.now()));
		assertThat(root.post("/admin/security/confirm", form("code", code)).getStatus().value()).isEqualTo(200);
		assertThat(root.get("/admin").getStatus().value()).isEqualTo(200);
		assertThat(root.get("/admin/security").getResponseBody()).doesNotContain("disable-totp");
		assertThat(root.postStatus("/admin/security/disable", form("code", "000000")).value()).isEqualTo(400);

		// the code step has expired when the code comes: back to the password
		ConsoleSession late = ConsoleSession.anonymous(TestClients.http(this.port));
		assertThat(
				late.attemptLogin(AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD).getResponseHeaders().getLocation())
			.hasToString("/admin/login/code");
		String next = TotpCodes.code(secret.group(1), TotpCodes.step(Instant.now()) + 1);
		assertThat(late.post("/admin/login/code", form("code", next)).getResponseHeaders().getLocation())
			.hasToString("/admin/login?expired");
		assertThat(late.get("/admin").getResponseHeaders().getLocation()).hasToString("/admin/login");
		assertThat(late.get("/admin/login?expired").getResponseBody()).contains("id=\"expired\"");
	}

}
