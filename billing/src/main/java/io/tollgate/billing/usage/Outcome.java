package io.tollgate.billing.usage;

import java.util.Locale;

/** How a request ended, as recorded on its usage record. */
public enum Outcome {

	/** The upstream answered and the client got the whole response. */
	OK,

	/** The upstream failed (error status or broken stream). */
	UPSTREAM_ERROR,

	/** The client went away before the response ended; what was generated is billed. */
	CLIENT_CANCELLED,

	/** Tollgate itself could not complete the request. */
	GATEWAY_ERROR;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
