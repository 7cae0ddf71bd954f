package io.tollgate.billing.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.tollgate.billing.usage.internal.UsageWriter;
import io.tollgate.billing.usage.journal.Journaled;
import io.tollgate.billing.usage.journal.UsageJournal;
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
 * replayed. Each request is appended to the durable {@link UsageJournal} before it is
 * queued, and dropped from it once its batch is written; a failed batch is retried as it
 * was, so the journal's order stays the queue's.
 * <p>
 * The batches are written from a thread of their own: the embedded database's driver
 * works synchronously on the thread that subscribes, and that must be neither a Netty
 * event loop nor Reactor's shared parallel scheduler, whose threads run everyone's
 * timers.
 */
public class UsageRecorder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UsageRecorder.class);

	private final Queue<Journaled> queue = new ConcurrentLinkedQueue<>();

	private final Object appending = new Object();

	private final UsageWriter writer;

	private final UsageJournal journal;

	private final int batchSize;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-usage-writer", true);

	private final Disposable draining;

	private volatile List<Journaled> pending = List.of();

	private final AtomicBoolean busy = new AtomicBoolean();

	private final AtomicLong backlog = new AtomicLong();

	public UsageRecorder(UsageWriter writer, int batchSize, Duration flushInterval) {
		this(writer, UsageJournal.NONE, batchSize, flushInterval);
	}

	/**
	 * A recorder with a durable journal.
	 * @param writer writes batches to the database
	 * @param journal where finished requests are kept until written
	 * @param batchSize most requests per transaction
	 * @param flushInterval how often queued requests are written
	 */
	public UsageRecorder(UsageWriter writer, UsageJournal journal, int batchSize, Duration flushInterval) {
		this.writer = writer;
		this.journal = journal;
		this.batchSize = batchSize;
		this.draining = Flux.interval(flushInterval, this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> drainAlone(false).onErrorResume((ex) -> {
				logger.warn("Writing usage failed; will retry: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Journals a finished request and queues it for writing. Never waits for the
	 * database; the journal append is one short local write (file) or one command sent
	 * (Redis).
	 * @param event what happened
	 */
	public void record(UsageEvent event) {
		synchronized (this.appending) {
			this.queue.add(this.journal.append(event));
		}
		this.backlog.incrementAndGet();
	}

	/**
	 * Finished requests recorded on this node and not yet in the database.
	 * @return the backlog
	 */
	public long backlog() {
		return this.backlog.get();
	}

	/**
	 * Writes what earlier runs left in the journal, then drops it. Call once at start,
	 * before requests are taken.
	 * @return completion
	 */
	public Mono<Void> replay() {
		// reading and dropping the journal may block: the bounded elastic scheduler may,
		// the writer's own thread and the database driver's event loops may not
		return Mono.<Void>defer(() -> {
			List<UsageEvent> left = this.journal.leftOver();
			if (left.isEmpty()) {
				return Mono.empty();
			}
			logger.info("Replaying {} finished requests from the usage journal", left.size());
			return Flux.fromIterable(left)
				.buffer(this.batchSize)
				.concatMap(this.writer::write)
				.then()
				.publishOn(Schedulers.boundedElastic())
				.then(Mono.<Void>fromRunnable(this.journal::dropLeftOver));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** Writes everything queued so far. */
	public Mono<Void> flush() {
		return drainAlone(true).subscribeOn(this.scheduler);
	}

	/**
	 * Drains unless another drain is under way: a batch is never written twice at once. A
	 * flush waits its turn; a tick skips.
	 */
	private Mono<Void> drainAlone(boolean wait) {
		return Mono.defer(() -> {
			if (!this.busy.compareAndSet(false, true)) {
				return wait ? Mono.delay(Duration.ofMillis(5), this.scheduler).then(drainAlone(true)) : Mono.empty();
			}
			return drain().doFinally((signal) -> this.busy.set(false));
		});
	}

	private Mono<Void> drain() {
		return Mono.defer(() -> {
			List<Journaled> batch = this.pending;
			if (batch.isEmpty()) {
				// no queue.size(): it walks the whole queue
				batch = new ArrayList<>();
				Journaled entry;
				while (batch.size() < this.batchSize && (entry = this.queue.poll()) != null) {
					batch.add(entry);
				}
				if (batch.isEmpty()) {
					return Mono.empty();
				}
				this.pending = batch;
			}
			List<Journaled> written = batch;
			return this.writer.write(written.stream().map(Journaled::event).toList()).then(Mono.fromRunnable(() -> {
				this.pending = List.of();
				this.journal.committed(written);
				this.backlog.addAndGet(-written.size());
			})).then(Mono.defer(() -> this.queue.isEmpty() ? Mono.<Void>empty() : drain()));
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
			this.journal.close();
		}
	}

}
