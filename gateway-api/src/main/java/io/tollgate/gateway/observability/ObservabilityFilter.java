package io.tollgate.gateway.observability;

import io.tollgate.gateway.edge.ClientAddress;
import io.tollgate.gateway.edge.RequestIds;
import io.tollgate.gateway.error.AnthropicErrorHandler;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Observes the Messages endpoints: starts each request's {@link RequestObservation} and
 * ends it when the response is written. Errors are turned into their Anthropic envelope
 * here, inside the observed span, so the status the client gets is the one observed.
 */
final class ObservabilityFilter implements WebFilter, Ordered {

	private final Observations observations;

	private final AnthropicErrorHandler errors;

	private final ClientAddress clientAddress;

	ObservabilityFilter(Observations observations, AnthropicErrorHandler errors, ClientAddress clientAddress) {
		this.observations = observations;
		this.errors = errors;
		this.clientAddress = clientAddress;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String endpoint = endpoint(exchange.getRequest());
		if (endpoint == null) {
			return chain.filter(exchange);
		}
		RequestObservation observation = this.observations.start(exchange, RequestIds.of(exchange), endpoint);
		exchange.getAttributes().put(RequestObservation.ATTRIBUTE, observation);
		return chain.filter(exchange).onErrorResume((ex) -> this.errors.handle(exchange, ex)).doFinally((signal) -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			observation.exchangeEnded((status != null) ? status.value() : 0, signal == SignalType.CANCEL,
					this.clientAddress.of(exchange.getRequest().getRemoteAddress(),
							exchange.getRequest().getHeaders()));
		});
	}

	private static String endpoint(ServerHttpRequest request) {
		if (request.getMethod() != HttpMethod.POST) {
			return null;
		}
		String path = request.getURI().getRawPath();
		if ("/v1/messages".equals(path)) {
			return "messages";
		}
		return "/v1/messages/count_tokens".equals(path) ? "count_tokens" : null;
	}

	/**
	 * Whether a request is one this filter observes.
	 * @param request the request, or {@code null}
	 * @return true for the Messages endpoints
	 */
	static boolean isMessages(ServerHttpRequest request) {
		return request != null && endpoint(request) != null;
	}

	@Override
	public int getOrder() {
		// right after the request id is assigned
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
