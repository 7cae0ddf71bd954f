package io.tollgate.billing.tenantview;

import java.util.Map;

/**
 * What an admin granted a tenant, which its own keys cannot exceed.
 *
 * @param groups the groups its keys may route through (id to name): those of the keys the
 * admin issued it and of its active subscriptions
 * @param concurrency the tenant's default concurrency per key, or {@code null} for none
 * @param rpm its default requests per minute, or {@code null}
 * @param tpm its default tokens per minute, or {@code null}
 */
public record KeyCeiling(Map<Long, String> groups, Integer concurrency, Integer rpm, Integer tpm) {

}
