package io.tollgate.billing.admin;

import java.time.Instant;

/**
 * One recorded admin change.
 *
 * @param id id
 * @param actor who made it
 * @param action what it was
 * @param targetType kind of thing changed
 * @param targetId which one
 * @param detail JSON detail, without secrets
 * @param at when
 */
public record AuditEvent(long id, String actor, String action, String targetType, String targetId, String detail,
		Instant at) {

}
