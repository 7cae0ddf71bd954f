package io.tollgate.billing.tenantview;

import io.tollgate.billing.tenantuser.TenantPrincipal;

/**
 * A tenant member tried a change only the tenant's owner (or a tenant API token, which
 * only an owner issues) may make. The message is safe to show.
 */
public final class OwnerOnly extends RuntimeException {

	private OwnerOnly(String message) {
		super(message, null, false, false);
	}

	/**
	 * Passes an owner or a token; refuses a member.
	 * @param principal who acts
	 * @param what what they are changing, for the message
	 * @throws OwnerOnly for a member
	 */
	static void require(TenantPrincipal principal, String what) {
		if (!principal.owner() && !TenantPrincipal.TOKEN.equals(principal.role())) {
			throw new OwnerOnly("Only the tenant's owner may change " + what);
		}
	}

}
