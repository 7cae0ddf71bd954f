package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a tenant sets on its own key, within what the admin granted the tenant.
 *
 * @param groupId one of the tenant's groups
 * @param expiresAt expiry, or {@code null}
 * @param allowedModels models the key may request (empty: all the group serves)
 * @param concurrencyLimit concurrent requests, at most the tenant's default, or
 * {@code null}
 * @param rpmLimit requests per minute, at most the tenant's default, or {@code null}
 * @param tpmLimit tokens per minute, at most the tenant's default, or {@code null}
 * @param spendQuota total spend allowed, or {@code null}
 */
public record KeyRequest(long groupId, Instant expiresAt, List<String> allowedModels, Integer concurrencyLimit,
		Integer rpmLimit, Integer tpmLimit, BigDecimal spendQuota) {

	public KeyRequest {
		allowedModels = (allowedModels != null) ? List.copyOf(allowedModels) : List.of();
	}

}
