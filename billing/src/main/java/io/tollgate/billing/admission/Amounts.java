package io.tollgate.billing.admission;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

import io.tollgate.billing.price.Cost;

/**
 * Money and waits as refusals state them: two decimals (two significant digits below
 * 0.01), what is left rounded down and what is needed rounded up, so that the message
 * never promises more than there is.
 */
final class Amounts {

	private static final BigDecimal CENT = new BigDecimal("0.01");

	private Amounts() {
	}

	static String left(long units) {
		return format(Math.max(0, units), RoundingMode.DOWN);
	}

	static String needed(long units) {
		return format(units, RoundingMode.UP);
	}

	/** A wait rounded up to a whole number of its largest sensible unit: 6h, 45m, 3d. */
	static String wait(Duration duration) {
		long seconds = Math.max(1, duration.toSeconds());
		if (seconds >= 2 * 86_400) {
			return ceil(seconds, 86_400) + "d";
		}
		if (seconds >= 3_600) {
			return ceil(seconds, 3_600) + "h";
		}
		if (seconds >= 60) {
			return ceil(seconds, 60) + "m";
		}
		return seconds + "s";
	}

	private static String format(long units, RoundingMode mode) {
		BigDecimal money = Cost.money(units);
		if (money.signum() == 0) {
			return "0";
		}
		BigDecimal shown = (money.compareTo(CENT) >= 0) ? money.setScale(2, mode)
				: money.round(new MathContext(2, mode));
		return shown.stripTrailingZeros().toPlainString();
	}

	private static long ceil(long value, long unit) {
		return (value + unit - 1) / unit;
	}

}
