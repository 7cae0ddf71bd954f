package io.tollgate.billing.tenantuser.internal;

import java.time.Duration;

import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantUsers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tenant users and tenant API tokens.
 */
@Configuration(proxyBeanMethods = false)
public class TenantUserConfiguration {

	/** How long a set-password link works. */
	static final Duration LINK_VALIDITY = Duration.ofDays(3);

	@Bean
	TenantUsers tenantUsers(AdminSupport support) {
		return new TenantUsers(support, LINK_VALIDITY);
	}

	@Bean
	TenantApiTokens tenantApiTokens(AdminSupport support) {
		return new TenantApiTokens(support);
	}

}
