package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A subscription plan: spend limits per window for one group.
 *
 * @param id id
 * @param name unique name
 * @param groupId the group it grants
 * @param groupName its name
 * @param dailyLimit spend per day, or {@code null}
 * @param weeklyLimit spend per week, or {@code null}
 * @param monthlyLimit spend per month, or {@code null}
 * @param status {@code active} or {@code retired}
 */
public record Plan(long id, String name, long groupId, String groupName, BigDecimal dailyLimit, BigDecimal weeklyLimit,
		BigDecimal monthlyLimit, String status) {

	/**
	 * A tenant's subscription to a plan.
	 *
	 * @param id id
	 * @param tenantId the tenant
	 * @param tenantName its name
	 * @param planId the plan
	 * @param planName its name
	 * @param startsAt start
	 * @param expiresAt end, or {@code null}
	 * @param status {@code active} or {@code cancelled}
	 */
	public record Subscription(long id, long tenantId, String tenantName, long planId, String planName,
			Instant startsAt, Instant expiresAt, String status) {
	}

}
