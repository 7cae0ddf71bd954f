package io.tollgate.gateway.error;

import io.tollgate.gateway.edge.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers requests Spring Security's firewall rejects ({@code //v1/messages},
 * {@code ;jsessionid=}, encoded slashes…) in the Anthropic envelope with the request's
 * id, instead of an empty 400; the firewall's own text, which quotes the path, is not
 * repeated.
 */
@Component
public class FirewallRejections implements ServerExchangeRejectedHandler {

	private static final Logger logger = LoggerFactory.getLogger(FirewallRejections.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		String id = RequestIds.of(exchange);
		if (id == null) {
			id = RequestIds.generate();
		}
		logger.debug("Request {} rejected by the firewall: {}", id, rejected.getMessage());
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setRawStatusCode(400);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.set(RequestIds.HEADER, id);
		headers.set("x-should-retry", "false");
		byte[] body = AnthropicErrors.body("invalid_request_error",
				"The request path is not allowed (doubled or encoded slashes, dot segments, semicolons or "
						+ "other unsafe characters)",
				id);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

}
