package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an inference key may learn about itself: its tenant's balance and subscription
 * windows, and its own spend. Never anything about the tenant's other keys.
 *
 * @param tenantName the tenant
 * @param balance what the balance allows now, after spend reserved by requests in flight
 * @param keyName the key
 * @param keySpent the key's charged usage so far
 * @param keyQuota the key's spend quota, or {@code null}
 * @param windows the tenant's current subscription windows
 */
public record KeyStanding(String tenantName, BigDecimal balance, String keyName, BigDecimal keySpent,
		BigDecimal keyQuota, List<TenantOverview.Window> windows) {

	/** What is left of the key's quota, or {@code null} without one. */
	public BigDecimal keyRemaining() {
		return (this.keyQuota != null) ? this.keyQuota.subtract(this.keySpent).max(BigDecimal.ZERO) : null;
	}

}
