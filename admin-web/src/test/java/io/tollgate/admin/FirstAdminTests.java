package io.tollgate.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.billing.admin.ConsoleUser;
import io.tollgate.billing.admin.ConsoleUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code TOLLGATE_ADMIN_PASSWORD}, the first start creates the admin with a
 * one-time password printed exactly once; later starts print nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminTests {

	private static final Pattern PASSWORD = Pattern.compile("one-time password (\\S+)");

	@Test
	void printsAOneTimePasswordOnceAtTheFirstStartOnly(CapturedOutput output) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-first-admin");
		String password;
		try (ConfigurableApplicationContext first = start(dataDir)) {
			Matcher matcher = PASSWORD.matcher(output.getAll());
			assertThat(matcher.find()).isTrue();
			password = matcher.group(1);
			assertThat(matcher.find()).isFalse();
			ConsoleUser admin = first.getBean(ConsoleUsers.class).find("admin").block(Duration.ofSeconds(10));
			assertThat(admin.role()).isEqualTo("ADMIN");
			assertThat(admin.passwordHash()).doesNotContain(password);
			assertThat(first.getBean(PasswordEncoder.class).matches(password, admin.passwordHash())).isTrue();
		}
		int printed = output.getAll().length();
		try (ConfigurableApplicationContext second = start(dataDir)) {
			assertThat(output.getAll().substring(printed)).doesNotContain("one-time password").doesNotContain(password);
		}
	}

	private static ConfigurableApplicationContext start(Path dataDir) {
		SpringApplication application = new SpringApplication(AdminTestApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		return application.run("--server.port=0", "--tollgate.data-dir=" + dataDir);
	}

}
