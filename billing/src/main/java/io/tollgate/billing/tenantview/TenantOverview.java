package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.tollgate.billing.admin.UsageSummary;

/**
 * What a tenant sees first.
 *
 * @param tenantName the tenant
 * @param status {@code active} or {@code suspended}
 * @param balance the prepaid balance as last recorded
 * @param reserved spend reserved by requests in flight (or finished but not yet
 * recorded), not yet in the balance
 * @param windows the subscriptions' spend windows
 * @param totals usage over the period
 * @param daily usage per UTC day over the period
 * @param topModels the models with the most requests
 * @param topKeys the keys with the highest charged cost
 */
public record TenantOverview(String tenantName, String status, BigDecimal balance, BigDecimal reserved,
		List<Window> windows, UsageSummary totals, List<UsageSummary.Daily> daily, List<UsageSummary.Named> topModels,
		List<UsageSummary.Named> topKeys) {

	/**
	 * One subscription window now.
	 *
	 * @param planName the plan
	 * @param groupName the group it grants
	 * @param window {@code daily}, {@code weekly} or {@code monthly}
	 * @param limit spend allowed in the window
	 * @param spent spend recorded in it so far
	 * @param resetsAt when the next window starts
	 */
	public record Window(String planName, String groupName, String window, BigDecimal limit, BigDecimal spent,
			Instant resetsAt) {

		/** What is left, never below zero. */
		public BigDecimal left() {
			return this.limit.subtract(this.spent).max(BigDecimal.ZERO);
		}

	}

}
