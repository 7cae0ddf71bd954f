package io.tollgate.gateway.observability;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.gateway.messages.IntentReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * One line per request on the {@code tollgate.access} logger, written by a logging thread
 * of its own: the request's thread only hands over the finished request (a bounded queue;
 * when it is full the line is dropped and counted, never waited for). Text lines are
 * logfmt-like {@code key=value} pairs, JSON lines one object; absent values are left out.
 * Never a prompt, a completion or a key: only the key's display prefix.
 */
final class AccessLog implements AutoCloseable {

	static final String LOGGER = "tollgate.access";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

	private final boolean json;

	private final ThreadPoolExecutor writer;

	private final Counter dropped;

	AccessLog(ObservabilityProperties.AccessLog properties, MeterRegistry registry) {
		this.json = properties.json();
		this.dropped = Counter.builder("tollgate.access.log.dropped")
			.description("Access-log lines dropped because the logging thread fell behind")
			.register(registry);
		this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(Math.max(1, properties.queueSize())), (task) -> {
					Thread thread = new Thread(task, "tollgate-access-log");
					thread.setDaemon(true);
					return thread;
				}, (task, executor) -> this.dropped.increment());
	}

	void write(FinishedRequest request) {
		if (logger.isInfoEnabled()) {
			this.writer.execute(() -> logger.info(format(request)));
		}
	}

	String format(FinishedRequest r) {
		Line line = this.json ? new JsonLine() : new TextLine();
		line.text("request_id", r.requestId());
		line.text("trace_id", r.traceId());
		line.text("upstream_request_id", r.upstreamRequestId());
		line.text("endpoint", r.endpoint());
		line.text("tenant", r.tenant());
		line.text("key_prefix", r.keyPrefix());
		line.text("key_name", r.keyName());
		line.text("group", r.group());
		line.text("requested_model", r.requestedModel());
		line.text("upstream_model", r.upstreamModel());
		line.text("account", r.account());
		line.text("platform", r.platform());
		if (r.stream() != null) {
			line.raw("stream", r.stream().toString());
		}
		line.raw("attempts", Integer.toString(r.attempts()));
		line.raw("status", Integer.toString(r.status()));
		line.text("outcome", r.outcome());
		line.text("error_type", r.errorType());
		line.text("refusal", r.refusal());
		TokenCounts tokens = r.tokens();
		if (tokens != null) {
			line.raw("input_tokens", Long.toString(tokens.input()));
			line.raw("output_tokens", Long.toString(tokens.output()));
			line.raw("cache_write_5m_tokens", Long.toString(tokens.cacheWrite5m()));
			line.raw("cache_write_1h_tokens", Long.toString(tokens.cacheWrite1h()));
			line.raw("cache_read_tokens", Long.toString(tokens.cacheRead()));
			if (r.estimated()) {
				line.raw("usage_estimated", "true");
			}
		}
		money(line, "list_cost", r.listCost());
		money(line, "charged_cost", r.chargedCost());
		line.raw("latency_ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(r.latencyNanos())));
		if (r.ttftNanos() >= 0) {
			line.raw("ttft_ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(r.ttftNanos())));
		}
		IntentReport intent = r.intent();
		if (intent != null) {
			line.text("intent_outcome", (intent.outcome() != null) ? intent.outcome() : "unrouted");
			line.text("intent_tag", intent.tag());
			line.text("routed_model", intent.routedModel());
			if (intent.hasPlanningUsage()) {
				money(line, "planning_cost", intent.toEvent().planningCost());
			}
			if (intent.options().optimisesContext()) {
				line.raw("context_tokens_saved", Long.toString(intent.tokensSaved()));
			}
		}
		line.text("client", address(r.clientAddress()));
		return line.end();
	}

	private static void money(Line line, String name, BigDecimal amount) {
		if (amount != null) {
			line.raw(name, amount.stripTrailingZeros().toPlainString());
		}
	}

	private static String address(byte[] address) {
		if (address == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(address).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	@Override
	public void close() {
		this.writer.shutdown();
		try {
			this.writer.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private abstract static class Line {

		final StringBuilder out = new StringBuilder(512);

		abstract void text(String name, String value);

		abstract void raw(String name, String value);

		abstract String end();

	}

	/**
	 * {@code key=value}, quoted when the value has a space, a quote or an equals sign.
	 */
	private static final class TextLine extends Line {

		@Override
		void text(String name, String value) {
			if (value == null) {
				return;
			}
			separate().append(name).append('=');
			boolean quote = value.isEmpty();
			for (int i = 0; i < value.length() && !quote; i++) {
				char c = value.charAt(i);
				quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
			}
			if (quote) {
				this.out.append('"');
				ENCODER.quoteAsString(value, this.out);
				this.out.append('"');
			}
			else {
				this.out.append(value);
			}
		}

		@Override
		void raw(String name, String value) {
			separate().append(name).append('=').append(value);
		}

		private StringBuilder separate() {
			return this.out.isEmpty() ? this.out : this.out.append(' ');
		}

		@Override
		String end() {
			return this.out.toString();
		}

	}

	private static final class JsonLine extends Line {

		@Override
		void text(String name, String value) {
			if (value != null) {
				separate().append('"').append(name).append("\":\"");
				ENCODER.quoteAsString(value, this.out);
				this.out.append('"');
			}
		}

		@Override
		void raw(String name, String value) {
			separate().append('"').append(name).append("\":").append(value);
		}

		private StringBuilder separate() {
			return this.out.isEmpty() ? this.out.append('{') : this.out.append(',');
		}

		@Override
		String end() {
			return (this.out.isEmpty() ? this.out.append('{') : this.out).append('}').toString();
		}

	}

}
