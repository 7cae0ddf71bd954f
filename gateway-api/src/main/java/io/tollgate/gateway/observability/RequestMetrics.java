package io.tollgate.gateway.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tollgate.billing.price.TokenCounts;

/**
 * The per-request meters. Each distinct tuple of (bounded) label values gets its meters
 * once and keeps them: recording a request is a map lookup and a few adds, no meter
 * lookup or tag building on the hot path.
 */
final class RequestMetrics {

	/** Buckets for whole LLM requests: sub-second answers to ten-minute streams. */
	static final Duration[] LATENCY_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600);

	/** Buckets for the time to the first token. */
	static final Duration[] TTFT_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60);

	/** Buckets for the silence between two content events of a stream. */
	static final Duration[] GAP_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);

	private final MeterRegistry registry;

	private final LabelPolicy labels;

	private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

	private final Map<ErrorKey, Counter> errors = new ConcurrentHashMap<>();

	private final Map<RefusalKey, Counter> refusals = new ConcurrentHashMap<>();

	private final Map<CacheKey, CacheRatio> cache = new ConcurrentHashMap<>();

	private final Map<GapKey, Timer> gaps = new ConcurrentHashMap<>();

	private final Map<StatusKey, Counter> responses = new ConcurrentHashMap<>();

	RequestMetrics(MeterRegistry registry, LabelPolicy labels) {
		this.registry = registry;
		this.labels = labels;
	}

	void record(FinishedRequest request) {
		Key key = new Key(request.endpoint(), this.labels.bound(Label.TENANT, request.tenant()),
				this.labels.bound(Label.GROUP, request.group()),
				this.labels.bound(Label.REQUESTED_MODEL, request.requestedModel()),
				this.labels.bound(Label.UPSTREAM_MODEL, request.upstreamModel()),
				this.labels.bound(Label.ACCOUNT, request.account()),
				this.labels.bound(Label.PLATFORM, request.platform()),
				this.labels.bound(Label.STREAM, (request.stream() != null) ? request.stream().toString() : null),
				this.labels.bound(Label.OUTCOME, request.outcome()));
		Meters meters = this.meters.get(key);
		if (meters == null) {
			meters = this.meters.computeIfAbsent(key, (k) -> new Meters(this.registry, k.tags()));
		}
		meters.requests.increment();
		response(request.endpoint(), request.status()).increment();
		meters.latency.record(request.latencyNanos(), TimeUnit.NANOSECONDS);
		if (request.ttftNanos() >= 0) {
			meters.ttft.record(request.ttftNanos(), TimeUnit.NANOSECONDS);
		}
		if (request.attempts() > 0) {
			meters.attempts.record(request.attempts());
			if (request.attempts() > 1) {
				meters.failovers.increment(request.attempts() - 1);
			}
		}
		TokenCounts tokens = request.tokens();
		if (tokens != null) {
			add(meters.input, tokens.input());
			add(meters.output, tokens.output());
			add(meters.cacheWrite5m, tokens.cacheWrite5m());
			add(meters.cacheWrite1h, tokens.cacheWrite1h());
			add(meters.cacheRead, tokens.cacheRead());
			long cacheable = tokens.input() + tokens.cacheWrite() + tokens.cacheRead();
			if (cacheable > 0) {
				CacheKey cacheKey = new CacheKey(key.tenant, key.group, key.account, key.upstreamModel);
				CacheRatio ratio = this.cache.get(cacheKey);
				if (ratio == null) {
					ratio = this.cache.computeIfAbsent(cacheKey, (k) -> new CacheRatio(this.registry, k.tags()));
				}
				ratio.read.add(tokens.cacheRead());
				ratio.cacheable.add(cacheable);
			}
		}
		if (request.listCost() != null && request.listCost().signum() != 0) {
			meters.listCost.increment(request.listCost().doubleValue());
		}
		if (request.chargedCost() != null && request.chargedCost().signum() != 0) {
			meters.chargedCost.increment(request.chargedCost().doubleValue());
		}
		if (request.errorType() != null) {
			this.errors
				.computeIfAbsent(new ErrorKey(key, request.errorType()),
						(k) -> Counter.builder("tollgate.request.errors")
							.description("Requests that ended in an error, by Anthropic error type")
							.tags(k.key().tags())
							.tag("error_type", k.type())
							.register(this.registry))
				.increment();
		}
		if (request.refusal() != null) {
			this.refusals
				.computeIfAbsent(new RefusalKey(key.tenant, key.group, request.refusal()),
						(k) -> Counter.builder("tollgate.admission.refusals")
							.description("Requests admission refused, by reason")
							.tags(optional(Tags.of("reason", k.reason()), Label.TENANT, k.tenant(), Label.GROUP,
									k.group()))
							.register(this.registry))
				.increment();
		}
	}

	/**
	 * The timer of a stream's inter-event gaps, looked up once per stream.
	 * @param platform the account's platform
	 * @param account the account
	 * @param upstreamModel the model
	 * @return the timer
	 */
	Timer gapTimer(String platform, String account, String upstreamModel) {
		GapKey key = new GapKey(this.labels.bound(Label.PLATFORM, platform), this.labels.bound(Label.ACCOUNT, account),
				this.labels.bound(Label.UPSTREAM_MODEL, upstreamModel));
		return this.gaps.computeIfAbsent(key,
				(k) -> Timer.builder("tollgate.stream.event.gap")
					.description("Silence between two content events of a stream")
					.tags(optional(Tags.empty(), Label.PLATFORM, k.platform(), Label.ACCOUNT, k.account(),
							Label.UPSTREAM_MODEL, k.upstreamModel()))
					.serviceLevelObjectives(GAP_BUCKETS)
					.register(this.registry));
	}

	/**
	 * The count of answers by endpoint and HTTP status, 499 for a client that hung up:
	 * what {@code http.server.requests} says of other paths, for the Messages endpoints,
	 * whose Spring observation is skipped while traces are not exported.
	 */
	private Counter response(String endpoint, int status) {
		StatusKey key = new StatusKey(endpoint, status);
		Counter counter = this.responses.get(key);
		return (counter != null) ? counter
				: this.responses.computeIfAbsent(key,
						(k) -> Counter.builder("tollgate.responses")
							.description("Answers of the Messages endpoints by HTTP status (499: the client hung up)")
							.tag("endpoint", k.endpoint())
							.tag("status", Integer.toString(k.status()))
							.register(this.registry));
	}

	private static void add(Counter counter, long value) {
		if (value > 0) {
			counter.increment(value);
		}
	}

	private static Tags optional(Tags tags, Object... labelsAndValues) {
		for (int i = 0; i < labelsAndValues.length; i += 2) {
			Object value = labelsAndValues[i + 1];
			if (value != null) {
				tags = tags.and(((Label) labelsAndValues[i]).tag(), (String) value);
			}
		}
		return tags;
	}

	private static Duration[] seconds(double... seconds) {
		Duration[] durations = new Duration[seconds.length];
		for (int i = 0; i < seconds.length; i++) {
			durations[i] = Duration.ofNanos((long) (seconds[i] * 1_000_000_000L));
		}
		return durations;
	}

	/** A tuple of bounded label values; {@code null} for a label not emitted. */
	private record Key(String endpoint, String tenant, String group, String requestedModel, String upstreamModel,
			String account, String platform, String stream, String outcome) {

		Tags tags() {
			return optional(Tags.of("endpoint", this.endpoint), Label.TENANT, this.tenant, Label.GROUP, this.group,
					Label.REQUESTED_MODEL, this.requestedModel, Label.UPSTREAM_MODEL, this.upstreamModel, Label.ACCOUNT,
					this.account, Label.PLATFORM, this.platform, Label.STREAM, this.stream, Label.OUTCOME,
					this.outcome);
		}

	}

	private record ErrorKey(Key key, String type) {
	}

	private record RefusalKey(String tenant, String group, String reason) {
	}

	private record GapKey(String platform, String account, String upstreamModel) {
	}

	private record CacheKey(String tenant, String group, String account, String upstreamModel) {

		Tags tags() {
			return optional(Tags.empty(), Label.TENANT, this.tenant, Label.GROUP, this.group, Label.ACCOUNT,
					this.account, Label.UPSTREAM_MODEL, this.upstreamModel);
		}

	}

	/**
	 * Cache-read tokens over cacheable input since start, per tenant, group, account,
	 * model.
	 */
	private static final class CacheRatio {

		final LongAdder read = new LongAdder();

		final LongAdder cacheable = new LongAdder();

		CacheRatio(MeterRegistry registry, Tags tags) {
			Gauge
				.builder("tollgate.prompt.cache.hit.ratio", this,
						(ratio) -> FinishedRequest.cacheHitRatio(ratio.read.sum(), ratio.cacheable.sum()))
				.description("Cache-read tokens over cacheable input tokens (input + cache writes + cache reads)")
				.tags(tags)
				.strongReference(true)
				.register(registry);
		}

	}

	/** The meters of one label tuple. */
	private static final class Meters {

		final Counter requests;

		final Counter input;

		final Counter output;

		final Counter cacheWrite5m;

		final Counter cacheWrite1h;

		final Counter cacheRead;

		final Counter listCost;

		final Counter chargedCost;

		final Counter failovers;

		final Timer latency;

		final Timer ttft;

		final DistributionSummary attempts;

		Meters(MeterRegistry registry, Tags tags) {
			this.requests = Counter.builder("tollgate.requests")
				.description("Requests to the Messages endpoints")
				.tags(tags)
				.register(registry);
			this.input = tokens(registry, tags, "input");
			this.output = tokens(registry, tags, "output");
			this.cacheWrite5m = tokens(registry, tags, "cache_write_5m");
			this.cacheWrite1h = tokens(registry, tags, "cache_write_1h");
			this.cacheRead = tokens(registry, tags, "cache_read");
			this.listCost = cost(registry, tags, "list");
			this.chargedCost = cost(registry, tags, "charged");
			this.failovers = Counter.builder("tollgate.failovers")
				.description("Upstream attempts after the first one, before the first byte")
				.tags(tags)
				.register(registry);
			this.latency = Timer.builder("tollgate.request.duration")
				.description("Time from a request's arrival to the end of its response")
				.tags(tags)
				.serviceLevelObjectives(LATENCY_BUCKETS)
				.register(registry);
			this.ttft = Timer.builder("tollgate.time.to.first.token")
				.description("Time from a request's arrival to its first generated token")
				.tags(tags)
				.serviceLevelObjectives(TTFT_BUCKETS)
				.register(registry);
			this.attempts = DistributionSummary.builder("tollgate.upstream.attempts")
				.description("Upstream accounts tried per request")
				.tags(tags)
				.serviceLevelObjectives(1, 2, 3, 4, 5)
				.register(registry);
		}

		private static Counter tokens(MeterRegistry registry, Tags tags, String type) {
			return Counter.builder("tollgate.tokens")
				.description("Tokens billed, by kind")
				.tags(tags)
				.tag("type", type)
				.register(registry);
		}

		private static Counter cost(MeterRegistry registry, Tags tags, String kind) {
			return Counter.builder("tollgate.cost")
				.description(
						"Cost of requests in the price book's currency: list price, and charged after the group's multiplier")
				.tags(tags)
				.tag("kind", kind)
				.register(registry);
		}

	}

	private record StatusKey(String endpoint, int status) {
	}

}
