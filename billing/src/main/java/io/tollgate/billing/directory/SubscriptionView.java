package io.tollgate.billing.directory;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's subscription to a plan, as the hot path sees it.
 *
 * @param id subscription id
 * @param tenantId the tenant
 * @param groupId the plan's group: the subscription pays for requests through it
 * @param planName the plan's name
 * @param startsAt first instant it applies
 * @param expiresAt when it ends, or {@code null}
 * @param dailyLimit spend allowed per UTC day, or {@code null} for no limit
 * @param weeklyLimit spend allowed per UTC week (from Monday), or {@code null}
 * @param monthlyLimit spend allowed per UTC calendar month, or {@code null}
 */
public record SubscriptionView(long id, long tenantId, long groupId, String planName, Instant startsAt,
		Instant expiresAt, BigDecimal dailyLimit, BigDecimal weeklyLimit, BigDecimal monthlyLimit) {

	/** Whether it applies at an instant. */
	public boolean activeAt(Instant at) {
		return !this.startsAt.isAfter(at) && (this.expiresAt == null || this.expiresAt.isAfter(at));
	}

	/** The limit of a window, or {@code null} when that window is not limited. */
	public BigDecimal limit(SpendWindow window) {
		return switch (window) {
			case DAILY -> this.dailyLimit;
			case WEEKLY -> this.weeklyLimit;
			case MONTHLY -> this.monthlyLimit;
		};
	}

}
