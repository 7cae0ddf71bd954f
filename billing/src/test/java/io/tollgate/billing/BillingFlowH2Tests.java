package io.tollgate.billing;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The billing flow on the embedded default: an H2 file database in a fresh data
 * directory.
 */
class BillingFlowH2Tests extends BillingFlowTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
	}

}
