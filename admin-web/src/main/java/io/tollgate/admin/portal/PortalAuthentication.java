package io.tollgate.admin.portal;

import java.util.List;
import java.util.Locale;

import io.tollgate.billing.tenantuser.TenantPrincipal;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A tenant user's session or a tenant API token, authenticated: its principal is the
 * {@link TenantPrincipal} every tenant-scoped service takes. Authorities are
 * {@code ROLE_TENANT_OWNER}, {@code ROLE_TENANT_MEMBER} or {@code ROLE_TENANT_TOKEN};
 * none of them is an admin role.
 */
final class PortalAuthentication extends AbstractAuthenticationToken {

	private final TenantPrincipal tenant;

	PortalAuthentication(TenantPrincipal tenant) {
		super(List.of(new SimpleGrantedAuthority("ROLE_TENANT_" + tenant.role().toUpperCase(Locale.ROOT))));
		this.tenant = tenant;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public TenantPrincipal getPrincipal() {
		return this.tenant;
	}

	@Override
	public String getName() {
		return this.tenant.actor();
	}

}
