package io.tollgate.gateway.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Guards {@code /actuator/prometheus} with a bearer token when one is configured: a
 * scrape without it gets 401 and no metrics. The comparison takes the same time whatever
 * the presented token.
 */
final class PrometheusTokenFilter implements WebFilter, Ordered {

	static final String PATH = "/actuator/prometheus";

	private final byte[] expected;

	PrometheusTokenFilter(String token) {
		this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getURI().getRawPath();
		if (path == null || !path.startsWith(PATH)) {
			return chain.filter(exchange);
		}
		String presented = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (presented != null
				&& MessageDigest.isEqual(this.expected, presented.trim().getBytes(StandardCharsets.UTF_8))) {
			return chain.filter(exchange);
		}
		exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
		return exchange.getResponse().setComplete();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

}
