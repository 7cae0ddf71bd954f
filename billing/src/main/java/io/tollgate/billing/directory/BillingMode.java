package io.tollgate.billing.directory;

import java.util.Locale;

/** How a group's usage is paid for. */
public enum BillingMode {

	/** Charged to the tenant's prepaid balance. */
	BALANCE,

	/** Counted against the tenant's plan windows. */
	SUBSCRIPTION;

	public static BillingMode parse(String value) {
		return valueOf(value.trim().toUpperCase(Locale.ROOT));
	}

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
