package io.tollgate.billing.health;

import java.time.Instant;

/**
 * An account's health changed on this node.
 *
 * @param accountId the account
 * @param kind what happened
 * @param until when a cooldown ends, or {@code null}
 * @param error the failure that caused it, safe to show (no secrets), or {@code null}
 */
public record AccountHealthChange(long accountId, Kind kind, Instant until, String error) {

	/** What happened to the account. */
	public enum Kind {

		/** It entered a cooldown (a 429 or 529). */
		COOLDOWN("cooldown"),

		/** Its circuit breaker opened. */
		BREAKER_OPEN("breaker_open"),

		/** Its circuit breaker closed again after probes succeeded. */
		RECOVERED("recovered");

		private final String id;

		Kind(String id) {
			this.id = id;
		}

		/** The name used in alerts. */
		public String id() {
			return this.id;
		}

	}

}
