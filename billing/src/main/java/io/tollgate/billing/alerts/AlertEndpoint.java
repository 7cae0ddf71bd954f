package io.tollgate.billing.alerts;

import java.time.Instant;

/**
 * Where alerts are posted.
 *
 * @param id the endpoint
 * @param tenantId the tenant it belongs to, or {@code null} for the operator's
 * @param name a label
 * @param url the webhook URL
 * @param enabled whether deliveries are made to it
 * @param previousSecretUntil while a rotation lasts, when the previous secret stops being
 * used; otherwise {@code null}
 * @param createdAt when it was added
 */
public record AlertEndpoint(long id, Long tenantId, String name, String url, boolean enabled,
		Instant previousSecretUntil, Instant createdAt) {

}
