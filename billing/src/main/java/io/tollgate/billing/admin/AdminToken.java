package io.tollgate.billing.admin;

import java.time.Instant;

/**
 * An admin API token: never its secret.
 *
 * @param id id
 * @param name what it is for
 * @param displayPrefix the first characters of the secret
 * @param role {@code ADMIN} or {@code FINANCE}
 * @param createdBy who issued it
 * @param createdAt when
 * @param lastUsedAt last use, or {@code null}
 * @param revokedAt revocation, or {@code null} while valid
 */
public record AdminToken(long id, String name, String displayPrefix, String role, String createdBy, Instant createdAt,
		Instant lastUsedAt, Instant revokedAt) {

	/**
	 * A token just issued, with its secret: the only time it is available.
	 *
	 * @param token the token
	 * @param secret the bearer secret
	 */
	public record Issued(AdminToken token, String secret) {
	}

}
