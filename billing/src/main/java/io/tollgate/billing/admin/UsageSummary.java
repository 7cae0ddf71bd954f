package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Usage summed over a set of records.
 *
 * @param requests records
 * @param errors records whose outcome was not {@code ok}
 * @param tokens token sums
 * @param listCost list cost sum
 * @param chargedCost charged cost sum
 */
public record UsageSummary(long requests, long errors, UsageRow.Tokens tokens, BigDecimal listCost,
		BigDecimal chargedCost) {

	/** Share of requests that did not end {@code ok}, 0 to 1. */
	public double errorRate() {
		return (this.requests > 0) ? (double) this.errors / this.requests : 0;
	}

	/**
	 * A summary per tenant, day (UTC) and requested model: the finance aggregate.
	 *
	 * @param tenantId tenant
	 * @param tenantName its name
	 * @param day the UTC day
	 * @param model requested model
	 * @param summary the sums
	 */
	public record Aggregate(long tenantId, String tenantName, LocalDate day, String model, UsageSummary summary) {
	}

	/**
	 * A summary for one day, for charts.
	 *
	 * @param day the UTC day
	 * @param summary the sums
	 */
	public record Daily(LocalDate day, UsageSummary summary) {
	}

	/**
	 * A summary for one named thing (tenant or model), for top lists.
	 *
	 * @param name its name
	 * @param summary the sums
	 */
	public record Named(String name, UsageSummary summary) {
	}

}
