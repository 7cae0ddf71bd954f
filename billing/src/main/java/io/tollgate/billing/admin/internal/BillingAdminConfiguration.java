package io.tollgate.billing.admin.internal;

import io.tollgate.billing.admin.AccountAdmin;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.AuditLog;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.PlanAdmin;
import io.tollgate.billing.admin.PriceAdmin;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.admin.RedactionPolicyCheck;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.ledger.Ledger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The admin services the console and the admin API call.
 */
@Configuration(proxyBeanMethods = false)
public class BillingAdminConfiguration {

	@Bean
	AdminSupport adminSupport(DatabaseClient db, TransactionalOperator billingTransactions) {
		return new AdminSupport(db, billingTransactions);
	}

	@Bean
	TenantAdmin tenantAdmin(AdminSupport support) {
		return new TenantAdmin(support);
	}

	@Bean
	KeyAdmin keyAdmin(AdminSupport support) {
		return new KeyAdmin(support);
	}

	@Bean
	GroupAdmin groupAdmin(AdminSupport support) {
		return new GroupAdmin(support);
	}

	@Bean
	AccountAdmin accountAdmin(AdminSupport support, CredentialCipher cipher) {
		return new AccountAdmin(support, cipher);
	}

	@Bean
	PlanAdmin planAdmin(AdminSupport support) {
		return new PlanAdmin(support);
	}

	@Bean
	RedactionAdmin redactionAdmin(AdminSupport support, ObjectProvider<RedactionPolicyCheck> check) {
		return new RedactionAdmin(support, check.getIfAvailable(() -> (policy) -> {
		}));
	}

	@Bean
	PriceAdmin priceAdmin(AdminSupport support) {
		return new PriceAdmin(support);
	}

	@Bean
	UsageQueries usageQueries(AdminSupport support) {
		return new UsageQueries(support);
	}

	@Bean
	AuditLog auditLog(AdminSupport support) {
		return new AuditLog(support);
	}

	@Bean
	ConsoleUsers consoleUsers(AdminSupport support) {
		return new ConsoleUsers(support);
	}

	@Bean
	AdminTokens adminTokens(AdminSupport support) {
		return new AdminTokens(support);
	}

	@Bean
	Ledger ledger(AdminSupport support) {
		return new Ledger(support);
	}

}
