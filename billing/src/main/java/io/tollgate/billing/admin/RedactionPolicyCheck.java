package io.tollgate.billing.admin;

import io.tollgate.billing.directory.RedactionPolicy;

/**
 * Checks a policy before it is stored: the entity names and custom patterns must be ones
 * the gateway can apply. The gateway supplies the real check; billing alone only checks
 * the shape.
 */
@FunctionalInterface
public interface RedactionPolicyCheck {

	/**
	 * @param policy the policy
	 * @throws IllegalArgumentException saying what is wrong
	 */
	void check(RedactionPolicy policy);

}
