package io.tollgate.billing.health;

import java.time.Instant;

/**
 * One account's health.
 *
 * @param accountId the account
 * @param state {@code healthy}, {@code cooling_down} or {@code circuit_open} (or
 * {@code half_open} while probing)
 * @param lastError the last upstream failure, safe to show (no secrets), or {@code null}
 * @param lastErrorAt when it happened, or {@code null}
 * @param cooldownUntil when a cooldown ends, or {@code null}
 * @param inFlight requests this node is sending it now
 */
public record AccountHealth(long accountId, String state, String lastError, Instant lastErrorAt, Instant cooldownUntil,
		int inFlight) {

}
