package io.tollgate.billing.admission;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admitted request: the concurrency permit it holds, the spend it reserved, and what
 * pays for it. Settled or cancelled exactly once when the request ends.
 */
public final class Ticket {

	private static final Logger logger = LoggerFactory.getLogger(Ticket.class);

	private final Permit permit;

	private final List<Reservation> reservations;

	private final ChargedTo chargedTo;

	private final Long subscriptionId;

	private final Counters counters;

	private final RateLimits rateLimits;

	private final TokenLimit tokenLimit;

	private final AtomicBoolean ended = new AtomicBoolean();

	Ticket(Permit permit, List<Reservation> reservations, ChargedTo chargedTo, Long subscriptionId, Counters counters,
			RateLimits rateLimits, TokenLimit tokenLimit) {
		this.permit = permit;
		this.reservations = reservations;
		this.chargedTo = chargedTo;
		this.subscriptionId = subscriptionId;
		this.counters = counters;
		this.rateLimits = rateLimits;
		this.tokenLimit = tokenLimit;
	}

	/** The concurrency permit, or {@code null} when no concurrency limit applies. */
	public Permit permit() {
		return this.permit;
	}

	/** What pays for the request. */
	public ChargedTo chargedTo() {
		return this.chargedTo;
	}

	/** The subscription whose windows pay, or {@code null}. */
	public Long subscriptionId() {
		return this.subscriptionId;
	}

	/** The spend reserved at admission, in counter units. */
	public long reservedUnits() {
		return this.reservations.isEmpty() ? 0 : this.reservations.get(0).units();
	}

	/**
	 * Replaces what was reserved by what the request cost, and counts its tokens against
	 * the tokens-per-minute limit. Only the first settle or cancel counts.
	 * @param cost what it cost
	 * @param tokens the tokens it used
	 */
	public void settle(Cost cost, TokenCounts tokens) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		long actual = Cost.units(cost.charged());
		for (Reservation reservation : this.reservations) {
			adjust(reservation.counter(), actual - reservation.units());
		}
		if (this.tokenLimit != null) {
			long counted = tokens.input() + tokens.output() + tokens.cacheWrite();
			if (counted > 0) {
				this.rateLimits
					.consumeUsed(this.tokenLimit.scope(), this.tokenLimit.limit(), Duration.ofMinutes(1), counted)
					.subscribe(null, (ex) -> logger.warn("Cannot count tokens per minute: {}", ex.toString()));
			}
		}
	}

	/** Gives back what was reserved, for a request that never went upstream. */
	public void cancel() {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		for (Reservation reservation : this.reservations) {
			adjust(reservation.counter(), -reservation.units());
		}
	}

	private void adjust(String counter, long delta) {
		if (delta != 0) {
			this.counters.add(counter, delta, null)
				.subscribe(null, (ex) -> logger.warn("Cannot settle spend counter {}: {}", counter, ex.toString()));
		}
	}

	/**
	 * Spend reserved in one counter.
	 *
	 * @param counter the counter
	 * @param units the amount, in counter units
	 */
	record Reservation(String counter, long units) {
	}

	/**
	 * A tokens-per-minute limit.
	 *
	 * @param scope the bucket
	 * @param limit tokens per minute
	 */
	record TokenLimit(String scope, long limit) {
	}

}
