package io.tollgate.billing.directory;

import java.math.BigDecimal;

/**
 * A tenant as the hot path sees it.
 *
 * @param id tenant id
 * @param name unique name
 * @param status {@code active} or {@code suspended}
 * @param balance prepaid balance when the directory was loaded
 * @param defaultConcurrency concurrency limit for keys without their own, or {@code null}
 * @param defaultRpm requests-per-minute limit for keys without their own, or {@code null}
 */
public record TenantView(long id, String name, String status, BigDecimal balance, Integer defaultConcurrency,
		Integer defaultRpm) {

	public boolean active() {
		return "active".equals(this.status);
	}

}
