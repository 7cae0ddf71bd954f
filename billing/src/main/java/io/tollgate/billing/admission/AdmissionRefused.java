package io.tollgate.billing.admission;

import java.time.Duration;

/**
 * Why a request was not admitted. Stackless: refusals are expected, frequent and cheap.
 */
public final class AdmissionRefused extends RuntimeException {

	private final Reason reason;

	private final Duration retryAfter;

	private AdmissionRefused(Reason reason, String message, Duration retryAfter) {
		super(message, null, false, false);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	static AdmissionRefused rateLimited(String what, Duration retryAfter) {
		return new AdmissionRefused(Reason.RATE_LIMITED, "This API key has exceeded its " + what + " rate limit",
				retryAfter);
	}

	static AdmissionRefused concurrency() {
		return new AdmissionRefused(Reason.CONCURRENCY, "Too many concurrent requests for this API key or tenant",
				Duration.ofSeconds(1));
	}

	static AdmissionRefused windowSpent(String plan, String window, Duration retryAfter) {
		return new AdmissionRefused(Reason.WINDOW_SPENT,
				"The " + window + " spend limit of plan " + plan + " is used up until the window resets", retryAfter);
	}

	/**
	 * What is left of a limit is short of what the request needs.
	 * @param limit the limit
	 * @param leftUnits what is left, in counter units
	 * @param neededUnits the least the request needs, in counter units
	 * @param maxTokens the {@code max_tokens} that least is for
	 * @return the refusal
	 */
	static AdmissionRefused shortOf(Limit limit, long leftUnits, long neededUnits, long maxTokens) {
		String message = Amounts.left(leftUnits) + " left " + limit.description() + "; this request needs at least "
				+ Amounts.needed(neededUnits) + " at max_tokens " + maxTokens + " \u2014 lower max_tokens or "
				+ limit.remedy();
		return new AdmissionRefused(limit.reason(), message,
				(limit.resetsIn() != null) ? limit.resetsIn() : Duration.ZERO);
	}

	static AdmissionRefused noBalance() {
		return new AdmissionRefused(Reason.NO_BALANCE,
				"Your credit balance is too low to access this API. Please top up.", Duration.ZERO);
	}

	static AdmissionRefused quotaSpent() {
		return new AdmissionRefused(Reason.QUOTA_SPENT, "The spend quota of this API key is used up", Duration.ZERO);
	}

	static AdmissionRefused noSubscription() {
		return new AdmissionRefused(Reason.NO_SUBSCRIPTION, "There is no active subscription for this API key's group",
				Duration.ZERO);
	}

	public Reason reason() {
		return this.reason;
	}

	/** When trying again may succeed; zero when it will not by itself. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/** The kinds of refusal. */
	public enum Reason {

		/** Requests or tokens per minute exceeded: 429 with {@code retry-after}. */
		RATE_LIMITED,

		/** No free concurrency permit within the wait: 429. */
		CONCURRENCY,

		/**
		 * A subscription window is spent and the group does not fall back: 429 until it
		 * resets.
		 */
		WINDOW_SPENT,

		/** The balance cannot cover the request above the reserve: 402. */
		NO_BALANCE,

		/** The key's lifetime spend quota is used up: 402. */
		QUOTA_SPENT,

		/** A subscription group without an active subscription and no fallback: 402. */
		NO_SUBSCRIPTION

	}

}
