package io.tollgate.billing.coordination;

import java.time.Duration;

/**
 * Whether a rate limit let an amount through, and if not, when it will.
 *
 * @param allowed whether the amount was taken
 * @param remaining what is left in the limit after this decision
 * @param retryAfter how long until the amount would fit, zero when allowed
 */
public record RateDecision(boolean allowed, long remaining, Duration retryAfter) {

	public static RateDecision allow(long remaining) {
		return new RateDecision(true, remaining, Duration.ZERO);
	}

	public static RateDecision deny(Duration retryAfter) {
		return new RateDecision(false, 0, retryAfter);
	}

}
