package io.tollgate.billing.alerts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A condition that posts to an endpoint when it starts to hold.
 *
 * @param id the rule
 * @param tenantId the only tenant it watches, or {@code null} for every tenant
 * (operator-wide)
 * @param endpointId where it posts
 * @param kind what it watches
 * @param threshold its threshold (meaning per kind), or {@code null} for the kind's
 * default
 * @param unit {@code absolute} or {@code percent} for balances; otherwise {@code null}
 * @param enabled whether it is evaluated
 * @param createdAt when it was added
 */
public record AlertRule(long id, Long tenantId, long endpointId, AlertKind kind, BigDecimal threshold, String unit,
		boolean enabled, Instant createdAt) {

}
