package io.tollgate.billing.admin;

import java.time.Instant;

/**
 * A console user.
 *
 * @param id id
 * @param username login name
 * @param passwordHash encoded password (Spring Security's delegating format)
 * @param role {@code ADMIN} or {@code FINANCE}
 * @param status {@code active} or {@code disabled}
 * @param createdAt creation time
 * @param lastLoginAt last successful login, or {@code null}
 */
public record ConsoleUser(long id, String username, String passwordHash, String role, String status, Instant createdAt,
		Instant lastLoginAt) {

	@Override
	public String toString() {
		return "ConsoleUser[" + this.username + ", " + this.role + ", " + this.status + "]";
	}

}
