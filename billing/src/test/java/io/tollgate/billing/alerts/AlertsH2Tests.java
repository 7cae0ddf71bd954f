package io.tollgate.billing.alerts;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Alerts on the embedded H2 database. */
class AlertsH2Tests extends AlertsContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
	}

}
