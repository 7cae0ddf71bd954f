package io.tollgate.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The benchmark's stream client: opens SSE streams and timestamps every event as it
 * arrives, which wrk cannot. Arguments are {@code name=value} pairs:
 * <ul>
 * <li>{@code url}, {@code key} (sent as {@code x-api-key}), {@code body} (a file);</li>
 * <li>{@code mode}: {@code latency} ({@code streams} connections kept alive, each opening
 * one stream after the other for {@code duration} seconds), {@code burst}
 * ({@code streams} new connections at once, one stream each) or {@code hold}
 * ({@code streams} new connections opened at {@code rate} a second, each holding one
 * stream to its end);</li>
 * <li>{@code pid}: the process whose CPU time ({@code /proc/<pid>/stat}, {@code hz} ticks
 * a second) and resident memory ({@code /proc/<pid>/status}) are reported;</li>
 * <li>{@code expect}: the fewest events a complete stream has;</li>
 * <li>{@code timeout}: seconds after which the run is abandoned.</li>
 * </ul>
 * Prints one line, {@code STREAM_RESULT name=value ...}: streams opened, completed and
 * failed (by cause), time to first byte (request written to the first body byte) and gaps
 * between consecutive events (µs percentiles), events that arrived in the same read as
 * the one before ({@code merged}), the most streams open at once, the process's CPU per
 * new stream (until the last first byte) and per event (after it), and its peak resident
 * memory.
 */
public final class StreamLoad {

	private final Map<String, String> options;

	private final HttpClient client;

	private final byte[] body;

	private final int expect;

	private final Samples ttfb = new Samples();

	private final Samples gaps = new Samples();

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger maxOpen = new AtomicInteger();

	private final AtomicInteger firstBytes = new AtomicInteger();

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong eventsAfterFirstBytes = new AtomicLong();

	private final AtomicLong merged = new AtomicLong();

	private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();

	private final ProcessWatch watch;

	private volatile long cpuAtFirstBytes = -1;

	private volatile long nanosAtFirstBytes;

	private StreamLoad(Map<String, String> options, ConnectionProvider provider, LoopResources loops)
			throws IOException {
		this.options = options;
		this.body = Files.readAllBytes(Path.of(option("body")));
		this.expect = Integer.parseInt(options.getOrDefault("expect", "1"));
		String key = option("key");
		this.client = HttpClient.create(provider)
			.runOn(loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.compress(false)
			.headers((headers) -> headers.set("content-type", "application/json")
				.set("anthropic-version", "2023-06-01")
				.set("x-api-key", key));
		this.watch = new ProcessWatch(Long.parseLong(options.getOrDefault("pid", "0")),
				Integer.parseInt(options.getOrDefault("hz", "100")));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("arguments are name=value: " + arg);
			}
			options.put(arg.substring(0, equals), arg.substring(equals + 1));
		}
		String mode = options.getOrDefault("mode", "latency");
		int streams = Integer.parseInt(options.getOrDefault("streams", "1"));
		LoopResources loops = LoopResources.create("stream-load",
				Integer.parseInt(options.getOrDefault("threads", "2")), true);
		ConnectionProvider provider = "latency".equals(mode)
				? ConnectionProvider.builder("stream-load").maxConnections(streams).pendingAcquireMaxCount(-1).build()
				: ConnectionProvider.newConnection();
		try {
			StreamLoad load = new StreamLoad(options, provider, loops);
			System.out.println(load.run(mode, streams));
		}
		finally {
			provider.disposeLater().block(Duration.ofSeconds(10));
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		}
		System.exit(0);
	}

	private String option(String name) {
		String value = this.options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("missing argument " + name + "=...");
		}
		return value;
	}

	private String run(String mode, int streams) {
		Duration timeout = Duration.ofSeconds(Long.parseLong(this.options.getOrDefault("timeout", "300")));
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "stream-load-sampler");
			thread.setDaemon(true);
			return thread;
		});
		sampler.scheduleAtFixedRate(this.watch::sampleMemory, 0, 100, TimeUnit.MILLISECONDS);
		long cpuBefore = this.watch.cpuMillis();
		long started = System.nanoTime();
		Flux<Void> load = switch (mode) {
			case "latency" -> {
				long end = started + Duration.ofSeconds(Long.parseLong(option("duration"))).toNanos();
				yield Flux.range(0, streams)
					.flatMap((i) -> stream(streams).repeat(() -> System.nanoTime() < end), streams);
			}
			case "burst" -> Flux.range(0, streams).flatMap((i) -> stream(streams), streams);
			case "hold" -> {
				int rate = Integer.parseInt(this.options.getOrDefault("rate", "1000"));
				int perTick = Math.max(1, rate / 100);
				yield Flux.interval(Duration.ofMillis(10))
					.take((streams + perTick - 1) / perTick)
					.concatMap((tick) -> Flux.range(0, Math.min(perTick, streams - (int) (tick * perTick))))
					.flatMap((i) -> stream(streams), streams);
			}
			default -> throw new IllegalArgumentException("mode is latency, burst or hold: " + mode);
		};
		try {
			load.then().block(timeout);
		}
		catch (IllegalStateException ex) {
			count("run_timeout");
		}
		long seconds = System.nanoTime() - started;
		long cpuAfter = this.watch.cpuMillis();
		sampler.shutdownNow();
		this.watch.sampleMemory();
		long cpuFirst = (this.cpuAtFirstBytes >= 0) ? this.cpuAtFirstBytes - cpuBefore : cpuAfter - cpuBefore;
		long cpuRest = cpuAfter - cpuBefore - cpuFirst;
		long[] ttfbs = this.ttfb.sorted();
		long[] gapValues = this.gaps.sorted();
		StringBuilder line = new StringBuilder("STREAM_RESULT");
		field(line, "mode", mode);
		field(line, "streams", streams);
		field(line, "seconds", String.format("%.3f", seconds / 1e9));
		field(line, "opened", this.ttfb.size() + errorCount());
		field(line, "completed", this.completed.get());
		field(line, "errors", errorCount());
		field(line, "error_kinds", this.errors.isEmpty() ? "-" : String.join(",",
				this.errors.entrySet().stream().map((e) -> e.getKey() + ":" + e.getValue()).toList()));
		field(line, "events", this.events.get());
		field(line, "merged", this.merged.get());
		field(line, "max_open", this.maxOpen.get());
		field(line, "ttfb_p50_us", percentile(ttfbs, 50));
		field(line, "ttfb_p99_us", percentile(ttfbs, 99));
		field(line, "ttfb_max_us", percentile(ttfbs, 100));
		field(line, "gap_p50_us", percentile(gapValues, 50));
		field(line, "gap_p99_us", percentile(gapValues, 99));
		field(line, "gap_max_us", percentile(gapValues, 100));
		field(line, "first_bytes_ms",
				(this.nanosAtFirstBytes > 0) ? (this.nanosAtFirstBytes - started) / 1_000_000 : -1);
		field(line, "cpu_ms", cpuAfter - cpuBefore);
		field(line, "cpu_first_ms", cpuFirst);
		field(line, "cpu_us_per_stream",
				this.ttfb.size() == 0 ? -1 : Math.round(cpuFirst * 1000.0 / Math.max(1, this.ttfb.size())));
		long laterEvents = this.events.get() - this.eventsAfterFirstBytes.get();
		field(line, "cpu_us_per_event",
				String.format("%.1f", (this.cpuAtFirstBytes >= 0 ? cpuRest * 1000.0 / Math.max(1, laterEvents)
						: (cpuAfter - cpuBefore) * 1000.0 / Math.max(1, this.events.get()))));
		field(line, "cpu_us_per_event_all",
				String.format("%.1f", (cpuAfter - cpuBefore) * 1000.0 / Math.max(1, this.events.get())));
		field(line, "rss_peak_kb", this.watch.peakRssKb());
		field(line, "hwm_kb", this.watch.highWaterMarkKb());
		return line.toString();
	}

	/** One stream: its request, every event timed, its end or failure counted. */
	private Mono<Void> stream(int streams) {
		return Mono.defer(() -> {
			Timing timing = new Timing(System.nanoTime());
			return this.client.post()
				.uri(option("url"))
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
				.response((response, content) -> {
					int status = response.status().code();
					if (status != 200) {
						count("status_" + status);
						timing.failed = true;
						return content.then();
					}
					return content.doOnNext((buffer) -> timing.read(buffer, System.nanoTime(), streams)).then();
				})
				.then()
				.doOnSuccess((ignored) -> finish(timing))
				.onErrorResume((error) -> {
					count(error.getClass().getSimpleName());
					timing.failed = true;
					finish(timing);
					return Mono.empty();
				});
		});
	}

	private void finish(Timing timing) {
		if (timing.firstByte != 0) {
			this.open.decrementAndGet();
		}
		if (timing.failed) {
			return;
		}
		if (timing.events < this.expect) {
			count("short_stream");
			return;
		}
		this.completed.incrementAndGet();
		if (timing.gapCount > 0) {
			this.gaps.add(Arrays.copyOf(timing.gaps, timing.gapCount));
		}
	}

	private void count(String kind) {
		this.errors.computeIfAbsent(kind, (name) -> new AtomicInteger()).incrementAndGet();
	}

	private int errorCount() {
		return this.errors.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	private static void field(StringBuilder line, String name, Object value) {
		line.append(' ').append(name).append('=').append(value);
	}

	private static long percentile(long[] sorted, int percentile) {
		if (sorted.length == 0) {
			return -1;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000;
	}

	/**
	 * What one stream saw: when its first byte came, and the gap before each event. An
	 * event ends with a blank line; events are timed when the read that completes them
	 * arrives.
	 */
	private final class Timing {

		private final long start;

		private long firstByte;

		private long lastEvent;

		private long lastRead;

		private int events;

		private long[] gaps = new long[16];

		private int gapCount;

		private byte previous;

		private boolean failed;

		private long readsSeen;

		Timing(long start) {
			this.start = start;
		}

		void read(ByteBuf buffer, long now, int streams) {
			if (this.firstByte == 0 && buffer.isReadable()) {
				this.firstByte = now;
				StreamLoad.this.ttfb.add(now - this.start);
				int open = StreamLoad.this.open.incrementAndGet();
				StreamLoad.this.maxOpen.accumulateAndGet(open, Math::max);
				if (StreamLoad.this.firstBytes.incrementAndGet() == streams && "burst".equals(option("mode"))) {
					StreamLoad.this.cpuAtFirstBytes = StreamLoad.this.watch.cpuMillis();
					StreamLoad.this.nanosAtFirstBytes = System.nanoTime();
					StreamLoad.this.eventsAfterFirstBytes.set(StreamLoad.this.events.get());
				}
			}
			this.readsSeen++;
			for (int i = buffer.readerIndex(); i < buffer.writerIndex(); i++) {
				byte current = buffer.getByte(i);
				if (current == '\n' && this.previous == '\n') {
					event(now);
				}
				if (current != '\r') {
					this.previous = current;
				}
			}
		}

		private void event(long now) {
			this.events++;
			StreamLoad.this.events.incrementAndGet();
			if (this.lastEvent != 0) {
				if (this.lastRead == this.readsSeen) {
					StreamLoad.this.merged.incrementAndGet();
				}
				if (this.gapCount == this.gaps.length) {
					this.gaps = Arrays.copyOf(this.gaps, this.gapCount * 2);
				}
				this.gaps[this.gapCount++] = now - this.lastEvent;
			}
			this.lastEvent = now;
			this.lastRead = this.readsSeen;
		}

	}

	/** Durations in nanoseconds, gathered from many threads. */
	private static final class Samples {

		private long[] values = new long[1024];

		private int size;

		synchronized void add(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		synchronized void add(long[] more) {
			if (this.size + more.length > this.values.length) {
				this.values = Arrays.copyOf(this.values, Math.max(this.values.length * 2, this.size + more.length));
			}
			System.arraycopy(more, 0, this.values, this.size, more.length);
			this.size += more.length;
		}

		synchronized int size() {
			return this.size;
		}

		synchronized long[] sorted() {
			long[] copy = Arrays.copyOf(this.values, this.size);
			Arrays.sort(copy);
			return copy;
		}

	}

}
