package io.tollgate.admin.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin plane's settings.
 *
 * @param enabled whether this node serves the console and the admin API
 * ({@code TOLLGATE_ADMIN_ENABLED}); gateway-only nodes switch it off
 * @param username name of the first admin, created when no console user exists
 * ({@code TOLLGATE_ADMIN_USERNAME})
 * @param password password of the first admin ({@code TOLLGATE_ADMIN_PASSWORD}); when
 * absent a one-time password is generated and printed once
 * @param sessionTimeout idle time after which a console session ends
 * @param login throttling of failed logins
 * @param totp the optional TOTP second factor
 */
@ConfigurationProperties("tollgate.admin")
public record AdminProperties(@DefaultValue("true") boolean enabled, @DefaultValue("admin") String username,
		String password, @DefaultValue("30m") Duration sessionTimeout, @DefaultValue Login login,
		@DefaultValue Totp totp) {

	/**
	 * @param maxFailuresPerUser failed logins allowed per username within the window
	 * @param maxFailuresPerAddress failed logins allowed per client address within the
	 * window
	 * @param window how long failures count
	 */
	public record Login(@DefaultValue("5") int maxFailuresPerUser, @DefaultValue("20") int maxFailuresPerAddress,
			@DefaultValue("15m") Duration window) {
	}

	/**
	 * @param required whether every console user must use a TOTP second factor
	 * ({@code TOLLGATE_ADMIN_TOTP_REQUIRED}); one without it can only reach the page that
	 * sets it up until it is on
	 * @param codeTimeout how long the code step of a login waits after the password was
	 * right
	 */
	public record Totp(@DefaultValue("false") boolean required, @DefaultValue("5m") Duration codeTimeout) {
	}

}
