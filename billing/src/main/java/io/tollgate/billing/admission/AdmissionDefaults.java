package io.tollgate.billing.admission;

import java.math.BigDecimal;

import io.tollgate.billing.directory.AdmissionPolicy;

/**
 * The admission policy settings groups and tenants fall back to.
 *
 * @param policy the policy of groups without their own
 * @param floorTokens the fewest output tokens a clamped (or overdrawn) request is sent
 * upstream with; when not even that is affordable, it is refused
 * @param overdraftLimit how far a tenant without its own limit may go beyond what was
 * left under the overdraft policy
 */
public record AdmissionDefaults(AdmissionPolicy policy, long floorTokens, BigDecimal overdraftLimit) {

	/** Clamp, with a floor of 256 tokens and no overdraft. */
	public static final AdmissionDefaults STANDARD = new AdmissionDefaults(AdmissionPolicy.CLAMP, 256, BigDecimal.ZERO);

}
