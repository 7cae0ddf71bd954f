package io.tollgate.billing.secondfactor;

/**
 * The outcome of checking a second-factor code.
 */
public enum SecondFactorCheck {

	/** A current authenticator code, not used before. */
	CODE,

	/** An unused recovery code, now used up. */
	RECOVERY,

	/** A code that was valid but already accepted once (a replay). */
	REPLAYED,

	/** Neither a valid code nor an unused recovery code. */
	WRONG;

	public boolean accepted() {
		return this == CODE || this == RECOVERY;
	}

	/** The metric and log value. */
	public String value() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
