package io.tollgate.billing.config;

import java.nio.file.Path;
import java.time.Duration;

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
 */
class BillingStartup implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(BillingStartup.class);

	private final BootstrapImporter importer;

	private final Directory directory;

	private final UsageRecorder recorder;

	private final Path bootstrapFile;

	BillingStartup(BootstrapImporter importer, Directory directory, UsageRecorder recorder, Path bootstrapFile) {
		this.importer = importer;
		this.directory = directory;
		this.recorder = recorder;
		this.bootstrapFile = bootstrapFile;
	}

	@Override
	public void afterPropertiesSet() {
		Mono<Void> bootstrap = Mono.empty();
		if (this.bootstrapFile != null) {
			logger.info("Applying bootstrap file {}", this.bootstrapFile);
			bootstrap = this.importer.apply(this.importer.read(this.bootstrapFile));
		}
		// usage left in the journal goes in before the directory loads, so that the spend
		// counters rebuilt from the directory include it
		bootstrap.then(this.recorder.replay()).then(this.directory.reload()).block(Duration.ofMinutes(2));
		this.directory.startPolling();
	}

}
