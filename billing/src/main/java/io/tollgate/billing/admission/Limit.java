package io.tollgate.billing.admission;

import java.time.Duration;

import io.tollgate.billing.admission.AdmissionRefused.Reason;

/**
 * One spend counter a request reserves against: a key's quota, a subscription window or a
 * tenant's balance.
 *
 * @param counter the shared counter
 * @param baseline its value as the directory last saw it, to rebuild it when missing
 * @param ceiling the most it may reach, in counter units, before any overdraft
 * @param ttl how long the counter lives, or {@code null} for ever
 * @param reason the refusal when it cannot pay
 * @param description where the remainder is, for refusals ("in today's window of plan
 * pro")
 * @param resetsIn when the limit starts afresh, or {@code null} when it does not by
 * itself
 */
record Limit(String counter, long baseline, long ceiling, Duration ttl, Reason reason, String description,
		Duration resetsIn) {

	/** What a tenant can do about a refusal. */
	String remedy() {
		return switch (this.reason) {
			case WINDOW_SPENT -> "wait " + Amounts.wait(this.resetsIn);
			case QUOTA_SPENT -> "ask for a higher spend quota";
			default -> "top up";
		};
	}

}
