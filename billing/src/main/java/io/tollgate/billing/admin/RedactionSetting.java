package io.tollgate.billing.admin;

import java.time.Instant;

import io.tollgate.billing.directory.RedactionPolicy;

/**
 * A redaction policy as the console and the admin API show it.
 *
 * @param scope {@code group} or {@code key}
 * @param targetId the group's or key's id
 * @param targetName the group's or key's name
 * @param policy the policy
 * @param updatedAt when it was last set
 */
public record RedactionSetting(String scope, long targetId, String targetName, RedactionPolicy policy,
		Instant updatedAt) {
}
