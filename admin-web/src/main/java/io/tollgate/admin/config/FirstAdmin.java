package io.tollgate.admin.config;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import io.tollgate.billing.admin.ConsoleUsers;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the first console admin when no console user exists: from
 * {@code TOLLGATE_ADMIN_USERNAME}/{@code TOLLGATE_ADMIN_PASSWORD}, or with a one-time
 * password printed once to standard output (never to the log, and never again: once the
 * admin exists, nothing is generated).
 */
@Component
@ConsoleEnabled
class FirstAdmin {

	private final ConsoleUsers users;

	private final PasswordEncoder encoder;

	private final AdminProperties properties;

	FirstAdmin(ConsoleUsers users, PasswordEncoder encoder, AdminProperties properties) {
		this.users = users;
		this.encoder = encoder;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void createIfNone() {
		boolean generated = this.properties.password() == null || this.properties.password().isBlank();
		String password = generated ? oneTimePassword() : this.properties.password();
		this.users.createFirstAdmin(this.properties.username(), this.encoder.encode(password)).doOnNext((user) -> {
			if (generated) {
				System.out.println("Tollgate console: created admin '" + user.username() + "' with one-time password "
						+ password + "  (shown once; store it now)");
			}
		}).block(Duration.ofSeconds(30));
	}

	private static String oneTimePassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
