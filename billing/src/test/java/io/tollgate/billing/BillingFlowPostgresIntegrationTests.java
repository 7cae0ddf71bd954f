package io.tollgate.billing;

import io.tollgate.billing.testsupport.ExternalServices;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The billing flow on PostgreSQL, in a database of its own. */
class BillingFlowPostgresIntegrationTests extends BillingFlowTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
		ExternalServices.freshPostgresDatabase().register(registry);
	}

}
