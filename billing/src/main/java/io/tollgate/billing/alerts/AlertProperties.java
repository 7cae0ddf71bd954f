package io.tollgate.billing.alerts;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alerts' tuning.
 *
 * @param enabled whether this node evaluates rules and delivers webhooks
 * @param pollInterval how often the worker looks for deliveries that are due
 * @param evaluateInterval how often balance, quota, expiry and backlog rules are checked
 * @param batchSize most deliveries one worker takes at a time
 * @param maxAttempts attempts before a delivery is marked failed
 * @param initialBackoff wait after the first failed attempt; doubled after each further
 * one
 * @param maxBackoff the longest wait between two attempts
 * @param requestTimeout how long one attempt may take
 * @param claimLease how long a taken delivery stays this node's; a node that died holding
 * it gives it up after this
 * @param rotationOverlap how long the previous secret keeps signing after a rotation
 * @param tenantWebhooks where tenants' webhooks may go
 */
@ConfigurationProperties("tollgate.alerts")
public record AlertProperties(@DefaultValue("true") boolean enabled, @DefaultValue("2s") Duration pollInterval,
		@DefaultValue("1m") Duration evaluateInterval, @DefaultValue("20") int batchSize,
		@DefaultValue("8") int maxAttempts, @DefaultValue("10s") Duration initialBackoff,
		@DefaultValue("1h") Duration maxBackoff, @DefaultValue("10s") Duration requestTimeout,
		@DefaultValue("2m") Duration claimLease, @DefaultValue("24h") Duration rotationOverlap,
		@DefaultValue TenantWebhooks tenantWebhooks) {

	@ConstructorBinding
	public AlertProperties {
	}

	/**
	 * Alerts' tuning, with the default rules for tenants' webhooks.
	 */
	public AlertProperties(boolean enabled, Duration pollInterval, Duration evaluateInterval, int batchSize,
			int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout, Duration claimLease,
			Duration rotationOverlap) {
		this(enabled, pollInterval, evaluateInterval, batchSize, maxAttempts, initialBackoff, maxBackoff,
				requestTimeout, claimLease, rotationOverlap, new TenantWebhooks(false, List.of()));
	}

	/**
	 * The wait after a given number of failed attempts: the initial backoff doubled for
	 * each attempt after the first, at most {@link #maxBackoff()}.
	 * @param failedAttempts attempts made so far, at least one
	 * @return the wait before the next attempt
	 */
	public Duration backoff(int failedAttempts) {
		Duration wait = this.initialBackoff;
		for (int i = 1; i < failedAttempts && wait.compareTo(this.maxBackoff) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : wait;
	}

	/**
	 * Where the webhooks of endpoints that belong to a tenant may go. By default only to
	 * {@code https} URLs on public addresses; operator endpoints are not restricted.
	 *
	 * @param allowHttp whether plain {@code http} URLs are accepted too (tests, on-prem)
	 * @param allowedHosts host names, addresses or CIDR ranges reachable even though they
	 * are internal, e.g. an on-prem receiver at {@code 10.1.2.3} or {@code hooks.corp}
	 */
	public record TenantWebhooks(@DefaultValue("false") boolean allowHttp, @DefaultValue List<String> allowedHosts) {

		public TenantWebhooks {
			allowedHosts = (allowedHosts != null) ? List.copyOf(allowedHosts) : List.of();
		}

	}

}
