package io.tollgate.gateway.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the edge refuses, by reason ({@code tollgate.edge.rejected}), and the client
 * connections open ({@code tollgate.edge.connections}). Reasons are a fixed set named in
 * code, so the tag stays bounded.
 */
final class EdgeMetrics {

	private final MeterRegistry registry;

	private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

	EdgeMetrics(MeterRegistry registry, ConnectionLimits limits) {
		this.registry = registry;
		Gauge.builder("tollgate.edge.connections", limits, ConnectionLimits::open)
			.description("Client connections open")
			.register(registry);
		Gauge.builder("tollgate.edge.connection.addresses", limits, ConnectionLimits::addresses)
			.description("Client addresses with a connection open (when a per-address limit is set)")
			.register(registry);
	}

	void rejected(String reason) {
		this.rejected
			.computeIfAbsent(reason,
					(key) -> Counter.builder("tollgate.edge.rejected")
						.description("Connections and requests refused at the edge, before the application")
						.tag("reason", key)
						.register(this.registry))
			.increment();
	}

}
