package io.tollgate.gateway.observability;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metrics, access log and tracing of the request path.
 *
 * @param labels the per-request labels metrics carry, out of {@code tenant},
 * {@code group}, {@code requested_model}, {@code upstream_model}, {@code account},
 * {@code platform}, {@code stream}, {@code outcome}; a label left out is not emitted
 * @param maxLabelValues distinct values one label takes at most on this node; later
 * values are reported as {@code other}
 * @param stateRefresh how often the state gauges (account health, backlog, bindings) are
 * read
 * @param prometheusToken when set, {@code /actuator/prometheus} requires
 * {@code Authorization: Bearer} with this token
 * @param accessLog the access log
 * @param tracing request tracing
 */
@ConfigurationProperties("tollgate.observability")
public record ObservabilityProperties(@DefaultValue( {
		"tenant", "group", "requested_model", "upstream_model", "account", "platform", "stream",
		"outcome" }) List<String> labels, @DefaultValue("100") int maxLabelValues,
		@DefaultValue("15s") Duration stateRefresh, String prometheusToken, @DefaultValue AccessLog accessLog,
		@DefaultValue Tracing tracing){

	/**
	 * One line per request on the {@code tollgate.access} logger.
	 *
	 * @param enabled whether lines are written
	 * @param format {@code text} (logfmt-like key=value) or {@code json}
	 * @param queueSize lines waiting for the logging thread at most; beyond it lines are
	 * dropped and counted rather than block a request
	 */
	public record AccessLog(@DefaultValue("true") boolean enabled, @DefaultValue("text") String format,
			@DefaultValue("8192") int queueSize) {

		boolean json() {
			return "json".equalsIgnoreCase(this.format);
		}

	}

	/**
	 * Spans of the request path, when Micrometer Tracing is enabled
	 * ({@code management.tracing.export.enabled} and an OTLP endpoint).
	 *
	 * @param propagateUpstream whether upstream calls carry the W3C {@code traceparent}
	 * of their attempt span
	 */
	public record Tracing(@DefaultValue("false") boolean propagateUpstream) {

	}

}
