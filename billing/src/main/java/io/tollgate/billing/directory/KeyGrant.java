package io.tollgate.billing.directory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What an API key grants: its tenant, its group and its own limits.
 *
 * @param keyId key id
 * @param name the key's name within its tenant
 * @param displayPrefix the first characters of the key, safe to show
 * @param tenant the owning tenant
 * @param groupId the group requests with this key go through
 * @param status {@code active} or {@code revoked}
 * @param expiresAt expiry, or {@code null}
 * @param allowedModels models this key may ask for (globs allowed); empty means any the
 * group serves
 * @param ipAllow CIDR blocks requests must come from; empty means anywhere
 * @param concurrencyLimit in-flight requests, or {@code null} for the tenant default
 * @param rpmLimit requests per minute, or {@code null} for the tenant default
 * @param tpmLimit tokens per minute, or {@code null} for none
 * @param spendQuota lifetime spend, or {@code null} for none
 */
public record KeyGrant(long keyId, String name, String displayPrefix, TenantView tenant, long groupId, String status,
		Instant expiresAt, Set<String> allowedModels, List<String> ipAllow, Integer concurrencyLimit, Integer rpmLimit,
		Integer tpmLimit, BigDecimal spendQuota) {

	public boolean usableAt(Instant now) {
		return "active".equals(this.status) && (this.expiresAt == null || this.expiresAt.isAfter(now));
	}

}
