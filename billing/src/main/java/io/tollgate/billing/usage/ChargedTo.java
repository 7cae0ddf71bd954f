package io.tollgate.billing.usage;

import java.util.Locale;

/** What paid for a request. */
public enum ChargedTo {

	/** The tenant's prepaid balance: a ledger entry. */
	BALANCE,

	/** A subscription's spend windows. */
	SUBSCRIPTION;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
