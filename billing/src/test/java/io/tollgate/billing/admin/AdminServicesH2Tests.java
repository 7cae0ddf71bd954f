package io.tollgate.billing.admin;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The admin services on the embedded H2 database. */
class AdminServicesH2Tests extends AdminServicesTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
	}

}
