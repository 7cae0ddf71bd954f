package io.tollgate.billing.config;

import io.tollgate.billing.bootstrap.BootstrapImporter;
import io.tollgate.billing.admission.Admission;
import io.tollgate.billing.coordination.CoordinationConfiguration;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.internal.DirectoryLoader;
import io.tollgate.billing.usage.UsageQuarantine;
import io.tollgate.billing.usage.UsageRecorder;
import io.tollgate.billing.usage.internal.QuarantiningWriter;
import io.tollgate.billing.usage.internal.UsageWriter;
import io.tollgate.billing.usage.journal.FileUsageJournal;
import io.tollgate.billing.usage.journal.RedisUsageJournal;
import io.tollgate.billing.usage.journal.UsageJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Billing's beans: the directory the hot path reads, usage recording, and the startup
 * that migrates, bootstraps and loads.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StorageProperties.class, BillingProperties.class, ReplayProperties.class })
public class BillingConfiguration {

	@Bean
	CredentialCipher credentialCipher(StorageProperties storage) {
		if (!storage.database().embedded() && (storage.masterKey() == null || storage.masterKey().isBlank())) {
			throw new IllegalStateException("TOLLGATE_MASTER_KEY must be set when using an external database: every "
					+ "node needs the same key to read upstream credentials (base64 of 32 random bytes, e.g. "
					+ "`openssl rand -base64 32`)");
		}
		return CredentialCipher.fromConfiguredOrFile(storage.masterKey(), storage.dataDir().resolve("master.key"));
	}

	@Bean
	TransactionalOperator billingTransactions(ReactiveTransactionManager transactionManager) {
		return TransactionalOperator.create(transactionManager);
	}

	@Bean
	DirectoryLoader directoryLoader(DatabaseClient db, CredentialCipher cipher, BillingProperties properties) {
		return new DirectoryLoader(db, cipher, properties.fallbackPrice());
	}

	@Bean
	Directory directory(DirectoryLoader loader, BillingProperties properties) {
		return new Directory(loader, properties.directoryPollInterval());
	}

	@Bean
	BootstrapImporter bootstrapImporter(DatabaseClient db, TransactionalOperator billingTransactions,
			CredentialCipher cipher, Environment environment) {
		return new BootstrapImporter(db, billingTransactions, cipher, environment);
	}

	@Bean
	UsageWriter usageWriter(DatabaseClient db, TransactionalOperator billingTransactions, Directory directory) {
		return new UsageWriter(db, billingTransactions, directory);
	}

	@Bean
	Admission admission(Directory directory, Permits permits, RateLimits rateLimits, Counters counters,
			BillingProperties properties) {
		return new Admission(directory, permits, rateLimits, counters, properties.balanceReserve(),
				properties.concurrencyWait(), properties.admission().toDefaults());
	}

	@Bean
	UsageJournal usageJournal(CoordinationConfiguration.Shared shared, StorageProperties storage,
			BillingProperties properties) {
		if (!properties.journal()) {
			return UsageJournal.NONE;
		}
		return (shared.redis() != null) ? new RedisUsageJournal(shared.redis())
				: new FileUsageJournal(storage.dataDir().resolve("journal"), 16L * 1024 * 1024);
	}

	@Bean
	UsageQuarantine usageQuarantine(DatabaseClient db, ObjectProvider<MeterRegistry> meters) {
		return new UsageQuarantine(db, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	UsageRecorder usageRecorder(UsageWriter writer, UsageQuarantine usageQuarantine, UsageJournal usageJournal,
			BillingProperties properties) {
		return new UsageRecorder(new QuarantiningWriter(writer, usageQuarantine), usageJournal,
				properties.usageBatchSize(), properties.usageFlushInterval());
	}

	@Bean
	BillingStartup billingStartup(FlywayMigrationInitializer migrations, BootstrapImporter importer,
			Directory directory, UsageRecorder usageRecorder, StorageProperties storage, ReplayProperties replay) {
		return new BillingStartup(importer, directory, usageRecorder, storage.bootstrapFile(), replay.startWait());
	}

}
