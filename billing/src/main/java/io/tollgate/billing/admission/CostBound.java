package io.tollgate.billing.admission;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.price.TokenCounts;

/**
 * An upper bound of what a request may be charged, in counter units: its input bound at
 * the dearest input rate (uncached, cache write or read), its output at a given
 * {@code max_tokens}, the group's multiplier on top. Knows the reverse too: the most
 * output tokens an amount pays for after the input.
 */
final class CostBound {

	private static final CostBound FREE = new CostBound(null, 0, BigDecimal.ONE);

	private final Price bound;

	private final long inputTokens;

	private final BigDecimal multiplier;

	private final BigDecimal unitsPerOutputToken;

	private CostBound(Price bound, long inputTokens, BigDecimal multiplier) {
		this.bound = bound;
		this.inputTokens = inputTokens;
		this.multiplier = multiplier;
		// prices are per million tokens; counter units are 10^-SCALE of money
		this.unitsPerOutputToken = (bound != null) ? bound.output().multiply(multiplier).movePointRight(Price.SCALE - 6)
				: BigDecimal.ZERO;
	}

	/**
	 * The bound of requests at a price, or of free ones when there is none.
	 * @param price the upstream model's price, or {@code null}
	 * @param inputTokens the bound of the request's input tokens
	 * @param multiplier the group's multiplier
	 * @return the bound
	 */
	static CostBound of(Price price, long inputTokens, BigDecimal multiplier) {
		if (price == null) {
			return FREE;
		}
		BigDecimal input = price.input().max(price.cacheWrite5m()).max(price.cacheWrite1h()).max(price.cacheRead());
		Price dearest = new Price(price.id(), price.modelPattern(), input, price.output(), input, input, input,
				price.effectiveFrom());
		return new CostBound(dearest, inputTokens, multiplier);
	}

	/** The bound at a {@code max_tokens}. */
	long units(long maxTokens) {
		if (this.bound == null) {
			return 0;
		}
		TokenCounts tokens = new TokenCounts(this.inputTokens, maxTokens, 0, 0, 0);
		return Cost.units(Cost.of(this.bound, tokens, this.multiplier).charged());
	}

	/**
	 * The most output tokens an amount pays for after the input, at most a ceiling.
	 * @param units the amount
	 * @param most the ceiling, the client's {@code max_tokens}
	 * @return the tokens; may be below what the caller needs
	 */
	long maxTokensWithin(long units, long most) {
		if (this.unitsPerOutputToken.signum() == 0) {
			return most;
		}
		long room = units - units(0);
		if (room <= 0) {
			return 0;
		}
		long tokens = Math.min(most,
				BigDecimal.valueOf(room).divide(this.unitsPerOutputToken, 0, RoundingMode.FLOOR).longValueExact());
		// the cost rounds per request, not per token: step back until it truly fits
		while (tokens > 0 && units(tokens) > units) {
			tokens--;
		}
		return tokens;
	}

}
