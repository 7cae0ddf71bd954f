package io.tollgate.billing.tenantuser;

import java.time.Instant;

/**
 * A bearer token for the tenant API ({@code /api/tenant/**}): never its secret.
 *
 * @param id id
 * @param tenantId the tenant it acts for
 * @param name its name
 * @param displayPrefix the first characters of the secret
 * @param createdBy who issued it
 * @param createdAt when
 * @param lastUsedAt last use, or {@code null}
 * @param revokedAt when revoked, or {@code null}
 */
public record TenantApiToken(long id, long tenantId, String name, String displayPrefix, String createdBy,
		Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

	/**
	 * A token just issued, with its secret, shown once.
	 *
	 * @param token the token
	 * @param secret the bearer secret
	 */
	public record Issued(TenantApiToken token, String secret) {
	}

}
