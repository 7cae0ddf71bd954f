package io.tollgate.billing.alerts.internal;

import java.util.Map;

import io.tollgate.billing.alerts.AlertKind;

/**
 * Something a rule of a kind reacts to.
 *
 * @param kind the rule kind it concerns
 * @param type the event type sent, e.g. {@code tenant.balance_below}
 * @param tenantId the tenant it concerns, or {@code null}
 * @param subject what it is about, unique per condition (e.g. {@code tenant:5}); a
 * condition fires once until it stops holding
 * @param data the event's details
 */
record AlertEvent(AlertKind kind, String type, Long tenantId, String subject, Map<String, Object> data) {

}
