package io.tollgate.billing.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.tollgate.billing.usage.internal.UsageWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Takes finished requests off the hot path and writes them to the database in batches:
 * one usage record and at most one charge per request id, whatever is retried or
 * replayed.
 */
public class UsageRecorder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UsageRecorder.class);

	private final Queue<UsageEvent> queue = new ConcurrentLinkedQueue<>();

	private final UsageWriter writer;

	private final int batchSize;

	private final Disposable draining;

	public UsageRecorder(UsageWriter writer, int batchSize, Duration flushInterval) {
		this.writer = writer;
		this.batchSize = batchSize;
		this.draining = Flux.interval(flushInterval, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> drain().onErrorResume((ex) -> {
				logger.warn("Writing usage failed; will retry: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Queues a finished request for recording. Never blocks.
	 * @param event what happened
	 */
	public void record(UsageEvent event) {
		this.queue.add(event);
	}

	/** Writes everything queued so far. */
	public Mono<Void> flush() {
		return drain();
	}

	private Mono<Void> drain() {
		return Mono.defer(() -> {
			List<UsageEvent> batch = new ArrayList<>(Math.min(this.batchSize, this.queue.size()));
			UsageEvent event;
			while (batch.size() < this.batchSize && (event = this.queue.peek()) != null) {
				batch.add(event);
				this.queue.poll();
			}
			if (batch.isEmpty()) {
				return Mono.empty();
			}
			return this.writer.write(batch).onErrorResume((ex) -> {
				this.queue.addAll(batch);
				return Mono.error(ex);
			}).then(Mono.defer(() -> this.queue.isEmpty() ? Mono.<Void>empty() : drain()));
		});
	}

	@Override
	public void close() {
		this.draining.dispose();
		flush().block(Duration.ofSeconds(10));
	}

}
