package io.tollgate.gateway.messages;

import io.tollgate.gateway.GatewayTestSupport;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** End to end on the embedded default. */
class MessagesEndToEndH2Tests extends MessagesEndToEndTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

}
