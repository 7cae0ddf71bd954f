package io.tollgate.billing.price;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What some tokens cost: at list price, and charged after the group's multiplier, both
 * exact to {@link Price#SCALE} places.
 *
 * @param listCost cost at list price
 * @param charged what the tenant pays: list cost times the multiplier
 * @param priceId the price version applied, or {@code null} for the configured default
 */
public record Cost(BigDecimal listCost, BigDecimal charged, Long priceId) {

	/** Nothing, at no price. */
	public static final Cost NONE = new Cost(BigDecimal.ZERO.setScale(Price.SCALE),
			BigDecimal.ZERO.setScale(Price.SCALE), null);

	/**
	 * The cost of tokens at a price version with a multiplier.
	 * @param price the price version
	 * @param tokens the tokens
	 * @param multiplier the group's multiplier
	 * @return the cost
	 */
	public static Cost of(Price price, TokenCounts tokens, BigDecimal multiplier) {
		BigDecimal list = price.cost(tokens);
		BigDecimal charged = list.multiply(multiplier).setScale(Price.SCALE, RoundingMode.HALF_EVEN);
		return new Cost(list, charged, (price.id() > 0) ? price.id() : null);
	}

	/**
	 * An amount in the integer units the shared counters hold (10<sup>-10</sup>), rounded
	 * up so that a reservation never falls short.
	 * @param amount the amount
	 * @return the units
	 */
	public static long units(BigDecimal amount) {
		return amount.movePointRight(Price.SCALE).setScale(0, RoundingMode.CEILING).longValueExact();
	}

	/** An amount of counter units as money. */
	public static BigDecimal money(long units) {
		return BigDecimal.valueOf(units, Price.SCALE);
	}

}
