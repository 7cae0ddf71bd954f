package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A tenant API key as admins see it: never its secret.
 *
 * @param id id
 * @param tenantId owning tenant
 * @param tenantName its name
 * @param groupId group the key routes through
 * @param groupName its name
 * @param name key name, unique per tenant
 * @param displayPrefix the first characters of the secret
 * @param status {@code active} or {@code revoked}
 * @param spent charged cost of its usage so far (against its spend quota)
 * @param settings limits, models, expiry and addresses
 * @param createdAt creation time
 */
public record ApiKeyInfo(long id, long tenantId, String tenantName, long groupId, String groupName, String name,
		String displayPrefix, String status, BigDecimal spent, Settings settings, Instant createdAt) {

	/**
	 * What an admin sets on a key.
	 *
	 * @param groupId group the key routes through
	 * @param expiresAt expiry, or {@code null} for none
	 * @param allowedModels models the key may request (empty: all)
	 * @param ipAllow client addresses or CIDR ranges allowed (empty: all)
	 * @param concurrencyLimit concurrent requests, or {@code null} for the tenant default
	 * @param rpmLimit requests per minute, or {@code null}
	 * @param tpmLimit tokens per minute, or {@code null}
	 * @param spendQuota total spend allowed, or {@code null}
	 */
	public record Settings(long groupId, Instant expiresAt, List<String> allowedModels, List<String> ipAllow,
			Integer concurrencyLimit, Integer rpmLimit, Integer tpmLimit, BigDecimal spendQuota) {

		public Settings {
			allowedModels = (allowedModels != null) ? List.copyOf(allowedModels) : List.of();
			ipAllow = (ipAllow != null) ? List.copyOf(ipAllow) : List.of();
		}

	}

	/**
	 * A key just issued, with its secret: the only time the secret is available.
	 *
	 * @param key the key
	 * @param secret the secret to hand to the tenant
	 */
	public record Issued(ApiKeyInfo key, String secret) {
	}

}
