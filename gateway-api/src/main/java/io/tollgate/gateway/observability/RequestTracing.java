package io.tollgate.gateway.observability;

import java.util.function.BiConsumer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request path's spans, through Micrometer Tracing: one per request (a child of the
 * server's span when Spring's HTTP observation made one, else continuing an incoming W3C
 * {@code traceparent}), with children for admission, each upstream attempt and
 * accounting. Off (no tracer, or export disabled), nothing is created at all.
 */
final class RequestTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	private final boolean propagateUpstream;

	RequestTracing(Tracer tracer, Propagator propagator, boolean propagateUpstream) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.propagateUpstream = propagateUpstream && propagator != null;
	}

	boolean enabled() {
		return this.tracer != null;
	}

	Span startRequest(ServerWebExchange exchange, String endpoint) {
		Span parent = serverSpan(exchange);
		Span.Builder builder;
		if (parent != null) {
			builder = this.tracer.spanBuilder().setParent(parent.context());
		}
		else if (this.propagator != null) {
			builder = this.propagator.extract(exchange.getRequest().getHeaders(), HttpHeaders::getFirst);
		}
		else {
			builder = this.tracer.spanBuilder();
		}
		return builder.name("tollgate.request").tag("tollgate.endpoint", endpoint).kind(Span.Kind.SERVER).start();
	}

	Span child(Span parent, String name) {
		return this.tracer.nextSpan(parent).name(name).start();
	}

	void inject(Span span, BiConsumer<String, String> headers) {
		if (this.propagateUpstream) {
			this.propagator.inject(span.context(), headers, BiConsumer::accept);
		}
	}

	private static Span serverSpan(ServerWebExchange exchange) {
		ServerRequestObservationContext context = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.orElse(null);
		if (context == null) {
			return null;
		}
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		return (tracing != null) ? tracing.getSpan() : null;
	}

}
