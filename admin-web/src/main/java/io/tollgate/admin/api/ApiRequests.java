package io.tollgate.admin.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.admin.Account;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.Group;

/** The bodies the admin API accepts. */
public final class ApiRequests {

	private ApiRequests() {
	}

	/**
	 * Issue a key.
	 *
	 * @param tenantId the tenant
	 * @param name key name
	 * @param settings group, limits, models, expiry, addresses
	 */
	public record IssueKey(long tenantId, String name, ApiKeyInfo.Settings settings) {
	}

	/**
	 * Create or edit a group.
	 *
	 * @param name group name
	 * @param settings platform, billing, mapping
	 */
	public record GroupBody(String name, Group.Settings settings) {
	}

	/**
	 * Put an account into a group.
	 *
	 * @param priority priority in the group, or {@code null}
	 * @param weight weight in the group, or {@code null}
	 */
	public record Member(Integer priority, Integer weight) {
	}

	/**
	 * Add or edit an account.
	 *
	 * @param name account name
	 * @param credential the credential (required to add; blank keeps it on edit)
	 * @param settings where and how it is reached
	 */
	public record AccountBody(String name, String credential, Account.Settings settings) {

		@Override
		public String toString() {
			return "AccountBody[" + this.name + "]";
		}

	}

	/**
	 * Post to a tenant's ledger.
	 *
	 * @param kind {@code topup}, {@code adjustment} or {@code refund}
	 * @param amount amount
	 * @param reason why
	 */
	public record LedgerPosting(String kind, BigDecimal amount, String reason) {
	}

	/**
	 * Create a plan.
	 *
	 * @param name plan name
	 * @param groupId group
	 * @param dailyLimit spend per day
	 * @param weeklyLimit spend per week
	 * @param monthlyLimit spend per month
	 */
	public record PlanBody(String name, long groupId, BigDecimal dailyLimit, BigDecimal weeklyLimit,
			BigDecimal monthlyLimit) {
	}

	/**
	 * Subscribe a tenant.
	 *
	 * @param tenantId tenant
	 * @param planId plan
	 * @param startsAt start (default now)
	 * @param expiresAt end, or {@code null}
	 */
	public record SubscriptionBody(long tenantId, long planId, Instant startsAt, Instant expiresAt) {
	}

	/**
	 * Create a console user or an admin token.
	 *
	 * @param name username or token name
	 * @param role {@code admin} or {@code finance}
	 * @param password password (users only)
	 */
	public record Principal(String name, String role, String password) {

		@Override
		public String toString() {
			return "Principal[" + this.name + ", " + this.role + "]";
		}

	}

	/**
	 * A console user, without the password hash.
	 *
	 * @param username login name
	 * @param role {@code ADMIN} or {@code FINANCE}
	 * @param status {@code active} or {@code disabled}
	 * @param createdAt creation time
	 * @param lastLoginAt last login, or {@code null}
	 */
	public record User(String username, String role, String status, java.time.Instant createdAt,
			java.time.Instant lastLoginAt) {

		static User of(io.tollgate.billing.admin.ConsoleUser user) {
			return new User(user.username(), user.role(), user.status(), user.createdAt(), user.lastLoginAt());
		}

	}

	/**
	 * A page of usage.
	 *
	 * @param page zero-based page
	 * @param size page size
	 * @param totals sums over every matching record
	 * @param rows the page's records
	 */
	public record UsagePage(int page, int size, io.tollgate.billing.admin.UsageSummary totals,
			List<io.tollgate.billing.admin.UsageRow> rows) {
	}

	/**
	 * Account health, or why it is missing.
	 *
	 * @param available whether this node has a health board
	 * @param accounts health by account id
	 */
	public record Health(boolean available, Map<Long, io.tollgate.billing.health.AccountHealth> accounts) {
	}

}
