package io.tollgate.billing.tenantuser;

/**
 * Who acts in the tenant portal or the tenant API: always one tenant, taken from the
 * session or the token and never from the request. Every tenant-scoped service takes one.
 *
 * @param tenantId the tenant
 * @param tenantName its name
 * @param userId the tenant user, or {@code null} for a tenant API token
 * @param name the user's login, or the token's name
 * @param role {@code owner}, {@code member} or {@code token}
 */
public record TenantPrincipal(long tenantId, String tenantName, Long userId, String name, String role) {

	/** Role of a tenant's owner: may invite users and issue tenant API tokens. */
	public static final String OWNER = "owner";

	/** Role of a tenant's member. */
	public static final String MEMBER = "member";

	/** Role of a tenant API token. */
	public static final String TOKEN = "token";

	public boolean owner() {
		return OWNER.equals(this.role);
	}

	/**
	 * How the audit trail names this principal, e.g. {@code tenant:acme/ann@example.com}.
	 */
	public String actor() {
		return "tenant:" + this.tenantName + "/" + ((this.userId != null) ? this.name : "token:" + this.name);
	}

}
