package io.tollgate.billing.admin;

import io.tollgate.billing.testsupport.ExternalServices;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The admin services on PostgreSQL, in a database of their own. */
class AdminServicesPostgresIntegrationTests extends AdminServicesTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
		ExternalServices.freshPostgresDatabase().register(registry);
	}

}
