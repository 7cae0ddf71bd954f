package io.tollgate.billing.directory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the database says has been spent, as of one directory load: the starting point of
 * the live spend counters when they do not exist yet (first request after a start, or
 * after Redis lost them). Once a counter exists it is the truth, and usage written to the
 * database later does not change it twice.
 *
 * @param tenants per tenant: usage charged to the balance so far, and limits beyond
 * {@link TenantView}
 * @param keySpent per key: charged cost of its usage so far
 * @param subscriptions per tenant: its active or future subscriptions
 * @param windowSpent per subscription window ({@link SpendWindow#key}): charged cost so
 * far of the windows current at the load
 */
public record SpendBaseline(Map<Long, TenantSpend> tenants, Map<Long, BigDecimal> keySpent,
		Map<Long, List<SubscriptionView>> subscriptions, Map<String, BigDecimal> windowSpent) {

	public static final SpendBaseline EMPTY = new SpendBaseline(Map.of(), Map.of(), Map.of(), Map.of());

	/**
	 * A tenant's spend and limits.
	 *
	 * @param usageCharged usage charged to its balance so far; the balance plus this is
	 * what top-ups, adjustments and refunds have put in
	 * @param defaultTpm tokens per minute for its keys without their own, or {@code null}
	 * @param maxConcurrency requests in flight across all its keys, or {@code null}
	 * @param overdraftLimit how far the overdraft admission policy lets its charges go
	 * beyond what was left, or {@code null} for the configured default
	 */
	public record TenantSpend(BigDecimal usageCharged, Integer defaultTpm, Integer maxConcurrency,
			BigDecimal overdraftLimit) {

		/** A tenant with the configured default overdraft limit. */
		public TenantSpend(BigDecimal usageCharged, Integer defaultTpm, Integer maxConcurrency) {
			this(usageCharged, defaultTpm, maxConcurrency, null);
		}

	}

}
