package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant as admins see it.
 *
 * @param id id
 * @param name unique name
 * @param status {@code active} or {@code suspended}
 * @param balance prepaid balance
 * @param defaultConcurrency concurrent requests allowed to each key without its own limit
 * @param defaultRpm requests per minute allowed likewise
 * @param defaultTpm tokens per minute allowed likewise
 * @param maxConcurrency requests in flight for the whole tenant, or {@code null}
 * @param createdAt creation time
 * @param overdraftLimit how far the overdraft admission policy lets its charges go beyond
 * what was left, or {@code null} for the configured default
 */
public record Tenant(long id, String name, String status, BigDecimal balance, Integer defaultConcurrency,
		Integer defaultRpm, Integer defaultTpm, Integer maxConcurrency, Instant createdAt, BigDecimal overdraftLimit) {

	/**
	 * What an admin sets on a tenant.
	 *
	 * @param name unique name
	 * @param defaultConcurrency default concurrency, or {@code null}
	 * @param defaultRpm default requests per minute, or {@code null}
	 * @param defaultTpm default tokens per minute, or {@code null}
	 * @param maxConcurrency tenant-wide requests in flight, or {@code null}
	 * @param overdraftLimit the overdraft limit, or {@code null} for the configured
	 * default
	 */
	public record Form(String name, Integer defaultConcurrency, Integer defaultRpm, Integer defaultTpm,
			Integer maxConcurrency, BigDecimal overdraftLimit) {

		/** A form with the configured default overdraft limit. */
		public Form(String name, Integer defaultConcurrency, Integer defaultRpm, Integer defaultTpm,
				Integer maxConcurrency) {
			this(name, defaultConcurrency, defaultRpm, defaultTpm, maxConcurrency, null);
		}

		/** A form with only a name. */
		public static Form named(String name) {
			return new Form(name, null, null, null, null, null);
		}

	}

}
