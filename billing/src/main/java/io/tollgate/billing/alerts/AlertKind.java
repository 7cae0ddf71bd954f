package io.tollgate.billing.alerts;

import java.util.Arrays;

import io.tollgate.billing.admin.AdminException;

/**
 * What a rule watches. Tenant-scoped rules may use only the kinds that concern a tenant.
 */
public enum AlertKind {

	/**
	 * A tenant's balance below an amount ({@code absolute}) or a share of what it was
	 * credited ({@code percent}).
	 */
	BALANCE_BELOW("balance_below", false),

	/**
	 * A subscription window's spend reached a share of its limit (percent, default 100).
	 */
	SUBSCRIPTION_WINDOW_SPENT("subscription_window_spent", false),

	/** A key's spend reached a share of its spend quota (percent, default 100). */
	KEY_QUOTA_SPENT("key_quota_spent", false),

	/** A key expires within the threshold, in days (default 7). */
	KEY_EXPIRING("key_expiring", false),

	/** An account entered cooldown, opened its circuit breaker, or recovered. */
	ACCOUNT_HEALTH("account_health", true),

	/** A node's usage journal holds at least the threshold of unwritten requests. */
	JOURNAL_BACKLOG("journal_backlog", true);

	private final String id;

	private final boolean operatorOnly;

	AlertKind(String id, boolean operatorOnly) {
		this.id = id;
		this.operatorOnly = operatorOnly;
	}

	/** The name used in the API and the database. */
	public String id() {
		return this.id;
	}

	/** Whether only operator-wide rules (no tenant) may watch it. */
	public boolean operatorOnly() {
		return this.operatorOnly;
	}

	/**
	 * The kind named.
	 * @param id a kind's name
	 * @return the kind
	 * @throws AdminException when no kind has that name
	 */
	public static AlertKind parse(String id) {
		return Arrays.stream(values())
			.filter((kind) -> kind.id.equals(id))
			.findFirst()
			.orElseThrow(() -> AdminException.invalid("Unknown alert kind: " + id));
	}

}
