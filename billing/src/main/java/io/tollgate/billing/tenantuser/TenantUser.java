package io.tollgate.billing.tenantuser;

import java.time.Instant;

/**
 * A person who logs in to the tenant portal. Never carries the password hash.
 *
 * @param id id
 * @param tenantId the tenant
 * @param tenantName its name
 * @param login email address or username (lower case), unique across tenants
 * @param role {@code owner} or {@code member}
 * @param status {@code invited} (no password yet), {@code active} or {@code disabled}
 * @param createdBy who created or invited the user
 * @param createdAt when
 * @param lastLoginAt last successful login, or {@code null}
 */
public record TenantUser(long id, long tenantId, String tenantName, String login, String role, String status,
		String createdBy, Instant createdAt, Instant lastLoginAt) {

	/** The principal this user acts as once logged in. */
	public TenantPrincipal principal() {
		return new TenantPrincipal(this.tenantId, this.tenantName, this.id, this.login, this.role);
	}

	/**
	 * A user just created or invited, with the one-time token that sets its password: the
	 * only time the token is available.
	 *
	 * @param user the user
	 * @param token the set-password token
	 * @param expiresAt when the token stops working
	 */
	public record Invited(TenantUser user, String token, Instant expiresAt) {
	}

	/**
	 * What the login check needs.
	 *
	 * @param user the user
	 * @param passwordHash the encoded password, or {@code null} before it was set
	 */
	public record Credentials(TenantUser user, String passwordHash) {
	}

}
