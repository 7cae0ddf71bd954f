package io.tollgate.gateway.error;

import io.tollgate.gateway.edge.RequestIds;
import io.tollgate.routing.request.InvalidRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Translates every error, once, at the edge, into the Anthropic envelope with the status
 * the SDKs expect: never HTML, never a 5xx for a permanent problem. Permanent errors say
 * {@code x-should-retry: false}.
 */
@Component
@Order(-2)
public class AnthropicErrorHandler implements ErrorWebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(AnthropicErrorHandler.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		if (ClientGone.hungUp(ex)) {
			// nobody to answer: recorded as the client's doing, not as a server error
			logger.debug("Request {}: the client closed the connection", RequestIds.of(exchange));
			response.setRawStatusCode(ClientGone.CLIENT_CLOSED);
			return Mono.empty();
		}
		if (ex instanceof ClientGone.SlowBody) {
			// Reactor Netty closes the connection of a body sent too slowly: nothing to
			// write to, recorded as a timeout of the client's
			logger.debug("Request {}: the client sent its body too slowly", RequestIds.of(exchange));
			response.setRawStatusCode(408);
			return Mono.empty();
		}
		GatewayException error = translate(exchange, ex);
		response.setRawStatusCode(error.status());
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.addAll(error.headers());
		if (error.status() >= 400 && error.status() < 500 && error.status() != 408 && error.status() != 409
				&& error.status() != 429) {
			headers.set("x-should-retry", "false");
		}
		byte[] body = AnthropicErrors.body(error.type(), error.getMessage(), RequestIds.of(exchange));
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private static GatewayException translate(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof GatewayException gateway) {
			return gateway;
		}
		if (ex instanceof InvalidRequest invalid) {
			return GatewayException.invalidRequest(invalid.getMessage());
		}
		if (ex instanceof DataBufferLimitException || ex.getCause() instanceof DataBufferLimitException) {
			return GatewayException.tooLarge("Request exceeds the maximum allowed number of bytes.");
		}
		if (ex instanceof ResponseStatusException status) {
			if (status.getStatusCode().value() == 404) {
				return GatewayException.notFound("Not found: " + exchange.getRequest().getPath().value());
			}
			String reason = (status.getReason() != null) ? status.getReason() : status.getStatusCode().toString();
			return GatewayException.fromStatus(status.getStatusCode(), reason);
		}
		logger.error("Request {} failed", RequestIds.of(exchange), ex);
		return GatewayException.of(500, "api_error", "Internal server error");
	}

}
