package io.tollgate.billing.ledger;

import java.util.Locale;

/** The manual postings an admin or finance user can make. */
public enum Posting {

	/** Money paid in: a positive amount. */
	TOPUP,

	/** A correction either way: any non-zero amount. */
	ADJUSTMENT,

	/** Money given back for usage: a positive amount credited. */
	REFUND;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses {@code topup}, {@code adjustment} or {@code refund}. */
	public static Posting parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT).replace("-", ""));
		}
		catch (RuntimeException ex) {
			throw io.tollgate.billing.admin.AdminException.invalid("Kind must be topup, adjustment or refund");
		}
	}

}
