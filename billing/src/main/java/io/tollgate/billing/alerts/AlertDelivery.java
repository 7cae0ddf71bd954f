package io.tollgate.billing.alerts;

import java.time.Instant;

/**
 * One webhook delivery: an outbox row while pending, its history afterwards.
 *
 * @param id the delivery
 * @param endpointId where it goes
 * @param ruleId the rule that fired it, or {@code null} (a test)
 * @param tenantId the tenant it concerns, or {@code null}
 * @param eventId the event's id, sent as {@code Tollgate-Webhook-Id}
 * @param eventType e.g. {@code tenant.balance_below}
 * @param status {@code pending}, {@code delivered} or {@code failed}
 * @param attempts attempts made
 * @param nextAttemptAt when a pending delivery is tried next
 * @param lastStatus the HTTP status of the last attempt, or {@code null}
 * @param lastError why the last attempt failed, or {@code null}
 * @param createdAt when the event happened
 * @param deliveredAt when it was delivered, or {@code null}
 * @param payload the JSON body
 */
public record AlertDelivery(long id, long endpointId, Long ruleId, Long tenantId, String eventId, String eventType,
		String status, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
		Instant deliveredAt, String payload) {

}
