package io.tollgate.billing.usage;

import java.time.Instant;

/**
 * A finished request whose usage could not be stored, kept aside with the reason.
 *
 * @param id id
 * @param requestId the request id (for an unreadable journal entry, a digest of it)
 * @param eventJson the usage event as JSON, every non-ASCII character escaped
 * @param reason why it could not be stored
 * @param firstSeen when it was first quarantined
 * @param lastSeen when it was last tried (a replay, another node)
 * @param attempts how many times it was quarantined
 */
public record QuarantinedUsage(long id, String requestId, String eventJson, String reason, Instant firstSeen,
		Instant lastSeen, int attempts) {

}
