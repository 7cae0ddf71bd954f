package io.tollgate.billing.directory;

import java.util.Locale;

/**
 * What admission does when what is left of a balance, subscription window or spend quota
 * is below a request's full cost bound (its input and {@code max_tokens} at the dearest
 * rates).
 */
public enum AdmissionPolicy {

	/**
	 * Lower the {@code max_tokens} sent upstream to what is left; refuse only when not
	 * even the configured floor of output tokens is affordable.
	 */
	CLAMP,

	/**
	 * Admit while something is left; the request may take the tenant's overdraft limit
	 * beyond it.
	 */
	OVERDRAFT,

	/** Refuse unless the full bound is left. */
	STRICT;

	/**
	 * Parses {@code clamp}, {@code overdraft} or {@code strict}.
	 * @param value the name, any case
	 * @return the policy
	 * @throws IllegalArgumentException for anything else
	 */
	public static AdmissionPolicy parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"admission policy: expected clamp, overdraft or strict, got '" + value + "'");
		}
	}

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
