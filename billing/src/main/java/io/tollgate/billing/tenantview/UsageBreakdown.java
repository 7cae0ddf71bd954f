package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.tollgate.billing.admin.UsageRow;
import io.tollgate.billing.ledger.LedgerEntry;

/**
 * Why one request cost what it cost: each token kind times its price per million at the
 * price version in effect, summed to the list cost, times the group's multiplier to the
 * charged cost; and what paid for it.
 *
 * @param usage the usage record
 * @param priceVersion the price version applied (its pattern and effective date), or
 * {@code null} when the configured default price applied
 * @param lines one line per token kind
 * @param multiplier charged cost over list cost, as applied
 * @param ledgerEntry the balance charge, or {@code null} when a subscription paid or
 * nothing was charged
 */
public record UsageBreakdown(UsageRow usage, PriceVersion priceVersion, List<Line> lines, BigDecimal multiplier,
		LedgerEntry ledgerEntry) {

	/**
	 * A price version.
	 *
	 * @param id id
	 * @param modelPattern the model pattern it prices
	 * @param effectiveFrom from when it applies
	 */
	public record PriceVersion(long id, String modelPattern, Instant effectiveFrom) {
	}

	/**
	 * Tokens of one kind times their price.
	 *
	 * @param kind e.g. {@code input}
	 * @param tokens how many
	 * @param perMillion price per million tokens
	 * @param cost tokens × price / 1,000,000
	 */
	public record Line(String kind, long tokens, BigDecimal perMillion, BigDecimal cost) {
	}

}
