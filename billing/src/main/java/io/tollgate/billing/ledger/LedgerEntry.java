package io.tollgate.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One movement of a tenant's balance.
 *
 * @param id id
 * @param tenantId the tenant
 * @param kind {@code topup}, {@code adjustment}, {@code refund} or {@code usage}
 * @param amount signed amount
 * @param balanceAfter the balance after it
 * @param requestId the request charged, for usage entries
 * @param actor who posted it
 * @param reason why
 * @param at when
 */
public record LedgerEntry(long id, long tenantId, String kind, BigDecimal amount, BigDecimal balanceAfter,
		String requestId, String actor, String reason, Instant at) {

}
