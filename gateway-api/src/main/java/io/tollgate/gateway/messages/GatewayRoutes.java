package io.tollgate.gateway.messages;

import io.tollgate.gateway.models.ModelsHandler;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;

/**
 * The tenant-facing routes. Paths match whatever the query string ({@code ?beta=true}).
 */
@Configuration(proxyBeanMethods = false)
public class GatewayRoutes {

	@Bean
	RouterFunction<ServerResponse> gatewayRouter(MessagesHandler messages, ModelsHandler models) {
		return RouterFunctions.route()
			.POST("/v1/messages", messages::messages)
			.POST("/v1/messages/count_tokens", messages::countTokens)
			.GET("/v1/models", models::list)
			.GET("/v1/models/{id}", models::one)
			.route(HEAD("/"), (request) -> ServerResponse.ok().build())
			.GET("/",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue("{\"service\":\"tollgate\",\"status\":\"ok\"}"))
			.build();
	}

}
