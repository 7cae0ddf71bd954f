package io.tollgate.billing.admission;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.directory.AdmissionPolicy;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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

	private final Terms terms;

	private final AtomicBoolean ended = new AtomicBoolean();

	Ticket(Permit permit, List<Reservation> reservations, ChargedTo chargedTo, Long subscriptionId, Counters counters,
			RateLimits rateLimits, TokenLimit tokenLimit, Terms terms) {
		this.terms = terms;
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
	 * The {@code max_tokens} to send upstream: the client's, or less when admission
	 * clamped it to what is left.
	 */
	public long maxTokens() {
		return this.terms.maxTokens();
	}

	/** Whether admission lowered the client's {@code max_tokens}. */
	public boolean clamped() {
		return this.terms.maxTokens() < this.terms.requestedMaxTokens();
	}

	/** Whether the reservation reached into the tenant's overdraft. */
	public boolean overdraft() {
		return this.terms.overdraft();
	}

	/**
	 * Whether a charge goes beyond what was left when the request was admitted, into the
	 * overdraft. Judged against the counters as they were at admission, so a charge that
	 * requests in flight then made look overdrawn counts as such.
	 * @param charged what the request is charged ({@link #settle})
	 * @return whether it is (in part) paid by the overdraft
	 */
	public boolean overdrawn(Cost charged) {
		if (!this.terms.overdraft()) {
			return false;
		}
		long units = Cost.units(charged.charged());
		return this.reservations.stream().anyMatch((r) -> r.before() + units > r.ceiling());
	}

	/**
	 * The kind of limit that had the least left, and so clamped or overdrew the request:
	 * {@code balance}, {@code quota} or {@code window}; {@code null} when nothing was
	 * reserved.
	 */
	public String limitedBy() {
		return this.terms.limitedBy();
	}

	/** The admission policy the request was admitted under. */
	public AdmissionPolicy policy() {
		return this.terms.policy();
	}

	/**
	 * Replaces what was reserved by what the request cost, and counts its tokens against
	 * the tokens-per-minute limit. A cost beyond the reservation (the upstream counted
	 * more input than the tokenizer, or added search results) is charged as far as each
	 * limit still allows under its policy, taken atomically like the reservation: no
	 * balance, window or quota ends beyond it. Only the first settle or cancel counts.
	 * <p>
	 * The work starts at once, whether or not the result is subscribed to. It completes
	 * immediately unless the cost exceeds the reservation and the counters are remote.
	 * @param cost what it cost
	 * @param tokens the tokens it used
	 * @return what it is charged: the cost, its charge lowered to what the limits allowed
	 */
	public Mono<Cost> settle(Cost cost, TokenCounts tokens) {
		if (!this.ended.compareAndSet(false, true)) {
			return Mono.just(cost);
		}
		countTokens(tokens);
		long actual = Cost.units(cost.charged());
		long reserved = reservedUnits();
		if (this.reservations.isEmpty() || actual <= reserved) {
			for (Reservation reservation : this.reservations) {
				adjust(reservation.counter(), actual - reservation.units());
			}
			return Mono.just(cost);
		}
		long excess = actual - reserved;
		Mono<Cost> charged = Flux.fromIterable(this.reservations)
			.concatMap((r) -> this.counters.addUpTo(r.counter(), excess, 0, r.most(), Long.MAX_VALUE, null)
				.map((taken) -> Math.max(0, taken.added())))
			.collectList()
			.map((added) -> {
				long allowed = added.stream().mapToLong(Long::longValue).min().orElse(0);
				for (int i = 0; i < added.size(); i++) {
					adjust(this.reservations.get(i).counter(), allowed - added.get(i));
				}
				if (allowed == excess) {
					return cost;
				}
				logger.debug("Charge {} lowered to {}: the limits allowed no more", actual, reserved + allowed);
				return new Cost(cost.listCost(), Cost.money(reserved + allowed), cost.priceId());
			})
			.onErrorResume((ex) -> {
				logger.warn("Cannot settle spend counters: {}", ex.toString());
				return Mono.just(cost);
			})
			.cache();
		charged.subscribe();
		return charged;
	}

	private void countTokens(TokenCounts tokens) {
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
	 * @param ceiling the counter's ceiling before any overdraft
	 * @param most the most the counter may reach under the policy: the ceiling and any
	 * overdraft
	 * @param before the counter's value before the reservation
	 * @param limit what kind of limit the counter keeps
	 */
	record Reservation(String counter, long units, long ceiling, long most, long before,
			AdmissionRefused.Reason limit) {

		Reservation withUnits(long units) {
			return new Reservation(this.counter, units, this.ceiling, this.most, this.before, this.limit);
		}

	}

	/**
	 * What a request was admitted with.
	 *
	 * @param policy the policy it was admitted under
	 * @param requestedMaxTokens the client's {@code max_tokens}
	 * @param maxTokens the {@code max_tokens} its reservation pays for
	 * @param overdraft whether the reservation reaches into an overdraft
	 * @param limitedBy the kind of limit that had the least left: {@code balance},
	 * {@code quota} or {@code window}; {@code null} when nothing was reserved
	 */
	record Terms(AdmissionPolicy policy, long requestedMaxTokens, long maxTokens, boolean overdraft, String limitedBy) {
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
