package io.tollgate.gateway.edge;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an id before anything else runs, so even a rejected request has
 * one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = RequestIds.generate();
		exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
		exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
		return chain.filter(exchange);
	}

}
