package io.tollgate.billing.redemption.internal;

import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.redemption.RedemptionCodes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redemption codes.
 */
@Configuration(proxyBeanMethods = false)
public class RedemptionConfiguration {

	@Bean
	RedemptionCodes redemptionCodes(AdminSupport support, Ledger ledger) {
		return new RedemptionCodes(support, ledger);
	}

}
