package io.tollgate.billing.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.tollgate.billing.usage.internal.QuarantiningWriter;
import io.tollgate.billing.usage.journal.Journaled;
import io.tollgate.billing.usage.journal.LeftOver;
import io.tollgate.billing.usage.journal.UsageJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Takes finished requests off the hot path and writes them to the database in batches:
 * one usage record and at most one charge per request id, whatever is retried or
 * replayed. Each request is appended to the durable {@link UsageJournal} before it is
 * queued, and dropped from it once its batch is written. A record the database refuses
 * for its data is quarantined and the rest of its batch written; a batch that failed for
 * a transient reason is retried as it was, so the journal's order stays the queue's.
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

	private final QuarantiningWriter writer;

	private final UsageJournal journal;

	private final int batchSize;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-usage-writer", true);

	private final Disposable draining;

	private volatile List<Journaled> pending = List.of();

	private volatile Disposable replaying = Disposables.disposed();

	private final AtomicLong backlog = new AtomicLong();

	private volatile long lastWriteLagMillis;

	private final AtomicBoolean busy = new AtomicBoolean();

	/**
	 * A recorder with a durable journal.
	 * @param writer writes batches to the database, quarantining what it cannot store
	 * @param journal where finished requests are kept until written
	 * @param batchSize most requests per transaction
	 * @param flushInterval how often queued requests are written
	 */
	public UsageRecorder(QuarantiningWriter writer, UsageJournal journal, int batchSize, Duration flushInterval) {
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
	 * How far writing lags behind the hot path, for gauges: cheap, never touches the
	 * database or the journal's storage.
	 * @return the backlog now
	 */
	public UsageBacklog backlog() {
		List<Journaled> batch = this.pending;
		Journaled oldest = batch.isEmpty() ? this.queue.peek() : batch.get(0);
		long now = System.currentTimeMillis();
		Duration age = (oldest != null) ? Duration.ofMillis(Math.max(0, now - finishedAt(oldest.event())))
				: Duration.ZERO;
		return new UsageBacklog(Math.max(0, this.backlog.get()), age, Duration.ofMillis(this.lastWriteLagMillis));
	}

	private static long finishedAt(UsageEvent event) {
		return event.startedAt().toEpochMilli() + event.latencyMs();
	}

	/**
	 * Writes what earlier runs left in the journal, batch by batch, then drops it. An
	 * entry that cannot be read or stored goes to the quarantine; a transient failure is
	 * retried, with growing pauses, until it succeeds. Writing is idempotent by request
	 * id, so this may run while the node serves, and while other nodes write the same
	 * entries.
	 * @return completion, once every left-over entry is written or quarantined
	 */
	public Mono<Void> replay() {
		// reading and dropping the journal may block: the bounded elastic scheduler may,
		// the writer's own thread and the database driver's event loops may not
		return Mono.<Void>defer(() -> {
			List<LeftOver> left = this.journal.leftOver();
			if (left.isEmpty()) {
				return Mono.empty();
			}
			logger.info("Replaying {} finished requests from the usage journal", left.size());
			return Flux.fromIterable(left)
				.buffer(this.batchSize)
				.concatMap((part) -> replay(part).publishOn(Schedulers.boundedElastic())
					.then(Mono.fromRunnable(() -> this.journal.replayed(part))))
				.then(Mono.<Void>fromRunnable(this.journal::dropLeftOver))
				.doOnSuccess(
						(done) -> logger.info("Replayed {} finished requests from the usage journal", left.size()));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Mono<Void> replay(List<LeftOver> part) {
		List<UsageEvent> events = part.stream().filter(LeftOver::readable).map(LeftOver::event).toList();
		return Flux.fromIterable(part)
			.filter((entry) -> !entry.readable())
			.concatMap((entry) -> this.writer.unreadable(entry.raw(), entry.error()))
			.then(Mono.defer(() -> this.writer.write(events)))
			// retried from the bounded elastic scheduler: the embedded database's driver
			// works on the thread that subscribes
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(30))
				.scheduler(Schedulers.boundedElastic())
				.doBeforeRetry(
						(retry) -> logger.warn("Replaying usage failed; will retry: {}", retry.failure().toString())));
	}

	/**
	 * Starts {@link #replay()} in the background; closing the recorder stops it (what it
	 * did not reach stays in the journal for the next start).
	 * @return completes once the replay is done
	 */
	public CompletableFuture<Void> startReplay() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.replaying = replay().subscribe(null, done::completeExceptionally, () -> done.complete(null));
		return done;
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
				this.lastWriteLagMillis = Math.max(0, System.currentTimeMillis() - finishedAt(written.get(0).event()));
			})).then(Mono.defer(() -> this.queue.isEmpty() ? Mono.<Void>empty() : drain()));
		});
	}

	@Override
	public void close() {
		this.replaying.dispose();
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
