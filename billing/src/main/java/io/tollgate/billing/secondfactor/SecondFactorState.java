package io.tollgate.billing.secondfactor;

import java.time.Instant;

/**
 * Where a user's second factor stands; never carries the secret.
 *
 * @param enabled whether logins ask for a code
 * @param pending whether an enrolment was started but not confirmed
 * @param enabledAt when it was switched on, or {@code null}
 * @param recoveryCodesLeft unused recovery codes
 */
public record SecondFactorState(boolean enabled, boolean pending, Instant enabledAt, int recoveryCodesLeft) {

	/** No second factor. */
	public static final SecondFactorState NONE = new SecondFactorState(false, false, null, 0);

}
