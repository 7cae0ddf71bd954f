package io.tollgate.billing.price;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * One version of a model's price, per million tokens of each kind.
 *
 * @param id price id
 * @param modelPattern exact model name or a glob with {@code *}
 * @param input uncached input
 * @param output output
 * @param cacheWrite5m five-minute cache write
 * @param cacheWrite1h one-hour cache write
 * @param cacheRead cache read
 * @param effectiveFrom first instant this version applies to
 */
public record Price(long id, String modelPattern, BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m,
		BigDecimal cacheWrite1h, BigDecimal cacheRead, Instant effectiveFrom) {

	/**
	 * Costs carry ten decimal places: exact for any per-million price with up to four
	 * decimals.
	 */
	public static final int SCALE = 10;

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	/**
	 * The list cost of some tokens at this price, exact to {@link #SCALE} places.
	 * @param tokens the tokens
	 * @return the cost
	 */
	public BigDecimal cost(TokenCounts tokens) {
		BigDecimal sum = this.input.multiply(BigDecimal.valueOf(tokens.input()))
			.add(this.output.multiply(BigDecimal.valueOf(tokens.output())))
			.add(this.cacheWrite5m.multiply(BigDecimal.valueOf(tokens.cacheWrite5m())))
			.add(this.cacheWrite1h.multiply(BigDecimal.valueOf(tokens.cacheWrite1h())))
			.add(this.cacheRead.multiply(BigDecimal.valueOf(tokens.cacheRead())));
		return sum.divide(MILLION, SCALE, RoundingMode.HALF_EVEN);
	}

	public boolean matches(String model) {
		int star = this.modelPattern.indexOf('*');
		if (star < 0) {
			return this.modelPattern.equals(model);
		}
		String prefix = this.modelPattern.substring(0, star);
		String suffix = this.modelPattern.substring(star + 1);
		return model.length() >= prefix.length() + suffix.length() && model.startsWith(prefix)
				&& model.endsWith(suffix);
	}

	/**
	 * How specific the pattern is: exact names beat globs, longer globs beat shorter
	 * ones.
	 */
	int specificity() {
		return (this.modelPattern.indexOf('*') < 0) ? Integer.MAX_VALUE : this.modelPattern.length() - 1;
	}

}
