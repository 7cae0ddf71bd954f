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
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Takes finished requests off the hot path and writes them to the database in batches:
 * one usage record and at most one charge per request id, whatever is retried or
 * replayed.
 * <p>
 * The batches are written from a thread of their own: the embedded database's driver
 * works synchronously on the thread that subscribes, and that must be neither a Netty
 * event loop nor Reactor's shared parallel scheduler, whose threads run everyone's
 * timers.
 */
public class UsageRecorder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UsageRecorder.class);

	private final Queue<UsageEvent> queue = new ConcurrentLinkedQueue<>();

	private final UsageWriter writer;

	private final int batchSize;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-usage-writer", true);

	private final Disposable draining;

	public UsageRecorder(UsageWriter writer, int batchSize, Duration flushInterval) {
		this.writer = writer;
		this.batchSize = batchSize;
		this.draining = Flux.interval(flushInterval, this.scheduler)
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
			// no queue.size(): it walks the whole queue
			List<UsageEvent> batch = new ArrayList<>();
			UsageEvent event;
			while (batch.size() < this.batchSize && (event = this.queue.poll()) != null) {
				batch.add(event);
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
		try {
			flush().block(Duration.ofSeconds(10));
		}
		finally {
			this.scheduler.dispose();
		}
	}

}
