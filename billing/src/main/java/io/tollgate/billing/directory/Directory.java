package io.tollgate.billing.directory;

import java.time.Duration;
import java.util.Optional;

import io.tollgate.billing.directory.internal.DirectoryLoader;
import io.tollgate.billing.key.ApiKeys;
import io.tollgate.billing.price.PriceBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The configuration the hot path reads: keys, tenants, groups, accounts and prices, held
 * in memory and swapped whole when the configuration revision in the database changes.
 * Every node polls the revision, so a change made on any node (a revoked key, a suspended
 * tenant) reaches all of them within one poll interval; the node that made the change
 * reloads at once.
 */
public class Directory implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Directory.class);

	private final DirectoryLoader loader;

	private final Duration pollInterval;

	private volatile DirectorySnapshot snapshot = DirectorySnapshot.EMPTY;

	private Disposable polling;

	private volatile long confirmedAt = System.nanoTime();

	public Directory(DirectoryLoader loader, Duration pollInterval) {
		this.loader = loader;
		this.pollInterval = pollInterval;
	}

	/**
	 * The grant of a presented key.
	 * @param rawKey the key as the client sent it
	 * @return the grant, or empty for an unknown key
	 */
	public Optional<KeyGrant> authenticate(String rawKey) {
		return Optional.ofNullable(this.snapshot.keysByHash().get(ApiKeys.hash(rawKey)));
	}

	public Optional<GroupView> group(long id) {
		return Optional.ofNullable(this.snapshot.groups().get(id));
	}

	public Optional<TenantView> tenant(long id) {
		return Optional.ofNullable(this.snapshot.tenants().get(id));
	}

	public PriceBook prices() {
		return this.snapshot.prices();
	}

	public DirectorySnapshot snapshot() {
		return this.snapshot;
	}

	/** Reloads now, whatever the revision. */
	public Mono<Void> reload() {
		return this.loader.load().doOnNext(this::install).then();
	}

	/**
	 * Starts polling the revision; call once after the schema exists. The polls run on
	 * the bounded elastic scheduler: the embedded database's driver works synchronously
	 * on the subscribing thread.
	 */
	public void startPolling() {
		this.polling = Flux.interval(this.pollInterval, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.concatMap((tick) -> this.loader.revision().doOnNext((revision) -> {
				if (revision == this.snapshot.revision()) {
					this.confirmedAt = System.nanoTime();
				}
			})
				.filter((revision) -> revision != this.snapshot.revision())
				.flatMap((revision) -> this.loader.load())
				.doOnNext(this::install)
				.onErrorResume((ex) -> {
					logger.warn("Directory refresh failed, keeping revision {}: {}", this.snapshot.revision(),
							ex.toString());
					return Mono.empty();
				}))
			.subscribe();
	}

	/**
	 * How long ago this node last knew its snapshot to be the database's current
	 * revision: about the poll interval while polling works, growing while the database
	 * cannot be read.
	 * @return the age
	 */
	public Duration revisionAge() {
		return Duration.ofNanos(System.nanoTime() - this.confirmedAt);
	}

	private void install(DirectorySnapshot loaded) {
		this.snapshot = loaded;
		this.confirmedAt = System.nanoTime();
		logger.debug("Directory at revision {}: {} keys, {} groups", loaded.revision(), loaded.keysByHash().size(),
				loaded.groups().size());
	}

	@Override
	public void close() {
		if (this.polling != null) {
			this.polling.dispose();
		}
	}

}
