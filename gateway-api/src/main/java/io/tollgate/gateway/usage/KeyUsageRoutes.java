package io.tollgate.gateway.usage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The read-only usage route for inference keys. */
@Configuration(proxyBeanMethods = false)
public class KeyUsageRoutes {

	@Bean
	RouterFunction<ServerResponse> keyUsageRouter(KeyUsageHandler usage) {
		return RouterFunctions.route().GET("/v1/usage", usage::usage).build();
	}

}
