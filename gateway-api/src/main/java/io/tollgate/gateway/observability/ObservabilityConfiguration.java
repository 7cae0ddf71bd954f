package io.tollgate.gateway.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.tollgate.billing.coordination.Bindings;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.billing.usage.UsageRecorder;
import io.tollgate.gateway.edge.ClientAddress;
import io.tollgate.gateway.error.AnthropicErrorHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Metrics, access log, tracing and state gauges of the request path.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObservabilityProperties.class)
public class ObservabilityConfiguration {

	@Bean
	Observations observations(MeterRegistry registry, ObservabilityProperties properties, ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator, Environment environment) {
		LabelPolicy labels = new LabelPolicy(properties.labels(), properties.maxLabelValues());
		AccessLog accessLog = properties.accessLog().enabled() ? new AccessLog(properties.accessLog(), registry) : null;
		boolean tracing = environment.getProperty("management.tracing.export.enabled", Boolean.class, false);
		Tracer activeTracer = tracing ? tracer.getIfAvailable() : null;
		if (activeTracer == Tracer.NOOP) {
			activeTracer = null;
		}
		return new Observations(registry, labels, accessLog, new RequestTracing(activeTracer,
				propagator.getIfAvailable(), properties.tracing().propagateUpstream()));
	}

	/**
	 * Skips Spring's server observation ({@code http.server.requests} and its span) for
	 * the Messages endpoints while traces are not exported: Tollgate observes them itself
	 * ({@code tollgate.requests}, {@code tollgate.responses}, the access log), and the
	 * skipped observation was 8% of the event loops' time per request. With export on it
	 * stays, as the parent of Tollgate's request span.
	 */
	@Bean
	@ConditionalOnProperty(name = "management.tracing.export.enabled", havingValue = "false", matchIfMissing = true)
	ObservationPredicate messagesServerObservationSkipped() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext server)
				|| !ObservabilityFilter.isMessages(server.getCarrier());
	}

	@Bean
	ObservabilityFilter observabilityFilter(Observations observations, AnthropicErrorHandler errors,
			ClientAddress clientAddress) {
		return new ObservabilityFilter(observations, errors, clientAddress);
	}

	@Bean
	StateGauges stateGauges(MeterRegistry registry, ObjectProvider<AccountHealthBoard> health, Directory directory,
			Bindings bindings, ObjectProvider<UsageRecorder> recorder, ObservabilityProperties properties) {
		return new StateGauges(registry, health.getIfAvailable(), directory, bindings, recorder.getIfAvailable(),
				properties.stateRefresh());
	}

	@Bean
	@ConditionalOnProperty("tollgate.observability.prometheus-token")
	PrometheusTokenFilter prometheusTokenFilter(ObservabilityProperties properties) {
		return new PrometheusTokenFilter(properties.prometheusToken());
	}

}
