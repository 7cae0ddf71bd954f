package io.tollgate.billing.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tollgate.billing.bootstrap.BootstrapImporter;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.usage.UsageRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.InitializingBean;

/**
 * Runs once the schema is migrated: applies the bootstrap file, replays the usage
 * journal, loads the directory and starts watching for changes. It blocks the starting
 * thread on purpose: the gateway must not take requests before it knows its keys.
 * <p>
 * The journal's contents never stop the start: what cannot be stored is quarantined, and
 * a replay longer than the configured wait goes on in the background while the node
 * serves (writing is idempotent by request id); the directory is loaded again once it is
 * done, so that the spend it carries includes the replayed usage.
 */
class BillingStartup implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(BillingStartup.class);

	private final BootstrapImporter importer;

	private final Directory directory;

	private final UsageRecorder recorder;

	private final Path bootstrapFile;

	private final Duration replayWait;

	BillingStartup(BootstrapImporter importer, Directory directory, UsageRecorder recorder, Path bootstrapFile,
			Duration replayWait) {
		this.importer = importer;
		this.directory = directory;
		this.recorder = recorder;
		this.bootstrapFile = bootstrapFile;
		this.replayWait = replayWait;
	}

	@Override
	public void afterPropertiesSet() throws InterruptedException {
		Mono<Void> bootstrap = Mono.empty();
		if (this.bootstrapFile != null) {
			logger.info("Applying bootstrap file {}", this.bootstrapFile);
			bootstrap = this.importer.apply(this.importer.read(this.bootstrapFile));
		}
		// the prices are needed to price replayed usage that came without a cost
		bootstrap.then(this.directory.reload()).block(Duration.ofMinutes(2));
		CompletableFuture<Void> replay = this.recorder.startReplay();
		boolean replayed = awaitReplay(replay);
		// loaded again once the replay is in, so that the spend counters rebuilt from the
		// directory include it
		if (replayed) {
			this.directory.reload().block(Duration.ofMinutes(2));
		}
		else {
			replay.whenComplete((done, ex) -> {
				if (ex == null) {
					this.directory.reload()
						.subscribe(null, (failure) -> logger.warn("Reloading the directory after the usage replay "
								+ "failed; the next change reloads it: {}", failure.toString()));
				}
			});
		}
		this.directory.startPolling();
	}

	private boolean awaitReplay(CompletableFuture<Void> replay) throws InterruptedException {
		try {
			replay.get(this.replayWait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			logger.warn("The usage journal is still being replayed after {}; serving while it drains in the "
					+ "background", this.replayWait);
			return false;
		}
		catch (ExecutionException ex) {
			// only reading or dropping the journal itself fails a replay: what it holds
			// stays
			// there for the next start, and this one goes on
			logger.error("Cannot replay the usage journal; its entries stay for the next start: {}",
					ex.getCause().toString());
			return true;
		}
	}

}
