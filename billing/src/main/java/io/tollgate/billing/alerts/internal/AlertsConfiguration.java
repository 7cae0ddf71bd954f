package io.tollgate.billing.alerts.internal;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.alerts.AlertProperties;
import io.tollgate.billing.alerts.Alerts;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.usage.UsageRecorder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Alerts' beans. The worker and the rule evaluation start once the schema is migrated,
 * unless {@code tollgate.alerts.enabled} is false.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
public class AlertsConfiguration {

	@Bean
	AlertOutbox alertOutbox(DatabaseClient db, TransactionalOperator billingTransactions) {
		return new AlertOutbox(db, billingTransactions);
	}

	@Bean
	AlertRules alertRules(DatabaseClient db) {
		return new AlertRules(db);
	}

	@Bean
	WebhookTargets webhookTargets(AlertProperties properties) {
		return new WebhookTargets(properties.tenantWebhooks());
	}

	@Bean(destroyMethod = "close")
	AlertDispatcher alertDispatcher(AlertOutbox outbox, CredentialCipher cipher, AlertProperties properties,
			WebhookTargets targets, ObjectProvider<MeterRegistry> meters, FlywayMigrationInitializer migrations) {
		AlertDispatcher dispatcher = new AlertDispatcher(outbox, cipher, properties, targets,
				meters.getIfAvailable(SimpleMeterRegistry::new));
		if (properties.enabled()) {
			dispatcher.start();
		}
		return dispatcher;
	}

	@Bean(destroyMethod = "close")
	AlertEvaluator alertEvaluator(DatabaseClient db, AlertRules rules, AlertOutbox outbox, UsageRecorder usageRecorder,
			AlertProperties properties, FlywayMigrationInitializer migrations) {
		String host = System.getenv("HOSTNAME");
		String node = (host != null && !host.isBlank()) ? host : "node-" + UUID.randomUUID().toString().substring(0, 8);
		AlertEvaluator evaluator = new AlertEvaluator(db, rules, outbox, () -> usageRecorder.backlog().entries(), node);
		if (properties.enabled()) {
			evaluator.start(properties.evaluateInterval());
		}
		return evaluator;
	}

	@Bean(destroyMethod = "close")
	AccountHealthAlerts accountHealthAlerts(AlertRules rules, AlertOutbox outbox, Directory directory) {
		return new AccountHealthAlerts(rules, outbox, directory);
	}

	@Bean
	Alerts alerts(AdminSupport adminSupport, CredentialCipher cipher, AlertRules rules, AlertOutbox outbox,
			AlertDispatcher dispatcher, AlertProperties properties, WebhookTargets targets) {
		return new Alerts(adminSupport, cipher, rules, outbox, dispatcher, properties, targets);
	}

}
