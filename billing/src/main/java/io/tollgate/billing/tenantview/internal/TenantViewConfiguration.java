package io.tollgate.billing.tenantview.internal;

import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.alerts.Alerts;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.tenantview.KeyStandings;
import io.tollgate.billing.tenantview.TenantAccount;
import io.tollgate.billing.tenantview.TenantKeys;
import io.tollgate.billing.tenantview.TenantNotifications;
import io.tollgate.billing.tenantview.TenantRedaction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The tenant's own view of its account, keys and notifications.
 */
@Configuration(proxyBeanMethods = false)
public class TenantViewConfiguration {

	@Bean
	TenantAccount tenantAccount(AdminSupport support, UsageQueries usage, Counters counters) {
		return new TenantAccount(support, usage, counters);
	}

	@Bean
	KeyStandings keyStandings(Directory directory, Counters counters, DatabaseClient db) {
		return new KeyStandings(directory, counters, db);
	}

	@Bean
	TenantKeys tenantKeys(AdminSupport support, KeyAdmin keys) {
		return new TenantKeys(support, keys);
	}

	@Bean
	TenantNotifications tenantNotifications(Alerts alerts) {
		return new TenantNotifications(alerts);
	}

	@Bean
	TenantRedaction tenantRedaction(AdminSupport support, TenantKeys keys, RedactionAdmin redaction) {
		return new TenantRedaction(support, keys, redaction);
	}

}
