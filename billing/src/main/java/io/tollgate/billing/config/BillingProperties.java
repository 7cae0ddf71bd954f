package io.tollgate.billing.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Billing's tuning.
 *
 * @param directoryPollInterval how often each node checks whether the configuration
 * changed
 * @param usageBatchSize most usage records written in one transaction
 * @param usageFlushInterval how often queued usage is written
 */
@ConfigurationProperties("tollgate.billing")
public record BillingProperties(@DefaultValue("2s") Duration directoryPollInterval,
		@DefaultValue("200") int usageBatchSize, @DefaultValue("100ms") Duration usageFlushInterval) {
}
