package io.tollgate.gateway.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.tracing.Span;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.gateway.messages.GatewayRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.server.ServerWebExchange;

/**
 * Where every observed request starts and ends: hands each finished request to the
 * metrics and the access log, keeps the in-flight counts per tenant and key, and owns the
 * request spans.
 */
public class Observations implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Observations.class);

	private final RequestMetrics metrics;

	private final AccessLog accessLog;

	private final RequestTracing tracing;

	private final LabelPolicy labels;

	private final MeterRegistry registry;

	private final Map<InFlightKey, InFlight> inFlight = new ConcurrentHashMap<>();

	Observations(MeterRegistry registry, LabelPolicy labels, AccessLog accessLog, RequestTracing tracing) {
		this.registry = registry;
		this.labels = labels;
		this.metrics = new RequestMetrics(registry, labels);
		this.accessLog = accessLog;
		this.tracing = tracing;
	}

	RequestObservation start(ServerWebExchange exchange, String requestId, String endpoint) {
		Span span = this.tracing.enabled() ? this.tracing.startRequest(exchange, endpoint) : null;
		if (span != null) {
			span.tag("tollgate.request_id", requestId);
		}
		return new RequestObservation(this, requestId, endpoint, span);
	}

	void finished(RequestObservation observation) {
		try {
			FinishedRequest request = observation.finish();
			this.metrics.record(request);
			if (this.accessLog != null) {
				this.accessLog.write(request);
			}
		}
		catch (RuntimeException ex) {
			// observing must never fail a request
			logger.warn("Recording a finished request failed: {}", ex.toString());
		}
		finally {
			Span span = observation.span();
			if (span != null) {
				span.end();
			}
		}
	}

	void inFlight(GatewayRequest request, int delta) {
		if (request == null) {
			return;
		}
		KeyGrant grant = request.grant();
		Integer keyLimit = (grant.concurrencyLimit() != null) ? grant.concurrencyLimit()
				: grant.tenant().defaultConcurrency();
		inFlight("tenant", Label.TENANT, grant.tenant().name(), null).add(delta);
		inFlight("key", Label.KEY, grant.name(), keyLimit).add(delta);
	}

	private InFlight inFlight(String scope, Label label, String name, Integer limit) {
		String bounded = this.labels.bound(label, name);
		if (bounded == null) {
			bounded = LabelPolicy.OTHER;
		}
		InFlightKey key = new InFlightKey(scope, bounded);
		InFlight counts = this.inFlight.get(key);
		if (counts == null) {
			counts = this.inFlight.computeIfAbsent(key,
					(k) -> new InFlight(this.registry, Tags.of("scope", k.scope(), "name", k.name())));
		}
		counts.limit(limit);
		return counts;
	}

	RequestMetrics metrics() {
		return this.metrics;
	}

	RequestTracing tracing() {
		return this.tracing;
	}

	@Override
	public void close() {
		if (this.accessLog != null) {
			this.accessLog.close();
		}
	}

	private record InFlightKey(String scope, String name) {
	}

	/**
	 * Requests in flight on this node in one tenant or key, and its concurrency limit.
	 */
	private static final class InFlight {

		private final AtomicInteger count = new AtomicInteger();

		private final MeterRegistry registry;

		private final Tags tags;

		private volatile boolean limited;

		private volatile int limit;

		InFlight(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			Gauge.builder("tollgate.inflight.requests", this.count, AtomicInteger::get)
				.description("Requests in flight on this node (holding their concurrency permits)")
				.tags(tags)
				.register(registry);
		}

		void add(int delta) {
			this.count.addAndGet(delta);
		}

		void limit(Integer limit) {
			if (limit == null) {
				return;
			}
			this.limit = limit;
			if (!this.limited) {
				this.limited = true;
				Gauge.builder("tollgate.concurrency.limit", this, (counts) -> counts.limit)
					.description("The concurrency limit of a key or an account")
					.tags(this.tags)
					.register(this.registry);
			}
		}

	}

}
