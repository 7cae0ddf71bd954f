package io.tollgate.gateway.messages;

import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.gateway.GatewayTestSupport;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** End to end on PostgreSQL. */
class MessagesEndToEndPostgresIntegrationTests extends MessagesEndToEndTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
		ExternalServices.freshPostgresDatabase().register(registry);
	}

}
