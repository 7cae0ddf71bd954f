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

	/**
	 * What is left of a limit is short of what the request needs.
	 * @param limit the limit
	 * @param leftUnits what is left, in counter units
	 * @param neededUnits the least the request needs, in counter units
	 * @param maxTokens the {@code max_tokens} that least is for; 0 for a request that
	 * generates nothing ({@code count_tokens}), which is refused only when nothing is
	 * left
	 * @return the refusal
	 */
	static AdmissionRefused shortOf(Limit limit, long leftUnits, long neededUnits, long maxTokens) {
		String message = (maxTokens <= 0) ? "Nothing is left " + limit.description() + " \u2014 " + limit.remedy()
				: Amounts.left(leftUnits) + " left " + limit.description() + "; this request needs at least "
						+ Amounts.needed(neededUnits) + " at max_tokens " + maxTokens + " \u2014 lower max_tokens or "
						+ limit.remedy();
		return new AdmissionRefused(limit.reason(), message,
				(limit.resetsIn() != null) ? limit.resetsIn() : Duration.ZERO);
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
