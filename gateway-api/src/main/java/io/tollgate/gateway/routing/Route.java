package io.tollgate.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.coordination.PermitScope;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;
import io.tollgate.routing.route.AccountOrder;
import reactor.core.publisher.Mono;

/**
 * The accounts one request may still try, and the choice of the next: the best one that
 * is not cooling down, whose breaker lets a call through and that has room under its
 * concurrency limit. When every one left is full, waits a little for room.
 */
public final class Route {

	private final AccountRouter router;

	private final GatewayRequest request;

	private final List<Candidate> eligible;

	private final List<Long> preferred;

	private final boolean takePermits;

	private final String bindingKey;

	private final Long stickyId;

	private final long deadline;

	private final Set<Long> tried = new HashSet<>();

	private int attempts;

	private boolean sawFull;

	private boolean sawUnhealthy;

	private boolean sawOverloaded;

	private Instant firstCooldownEnd;

	Route(AccountRouter router, GatewayRequest request, List<Candidate> eligible, List<Long> preferred,
			boolean takePermits, String bindingKey, Long stickyId) {
		this.router = router;
		this.request = request;
		this.eligible = eligible;
		this.preferred = preferred;
		this.takePermits = takePermits;
		this.bindingKey = bindingKey;
		this.stickyId = stickyId;
		this.deadline = System.nanoTime() + router.routing().failoverDeadline().toNanos();
	}

	/** The account the conversation was bound to when the request arrived, or null. */
	public Long stickyId() {
		return this.stickyId;
	}

	/** How many accounts were tried so far. */
	public int attempts() {
		return this.attempts;
	}

	AccountHealthTracker health() {
		return this.router.health();
	}

	/**
	 * Starts the next attempt.
	 * @return the attempt, or empty when no account is left, the attempts or the deadline
	 * are spent, or every account left stayed full for the configured wait
	 */
	public Mono<Attempt> next() {
		if (this.attempts >= this.router.maxAttempts() || System.nanoTime() - this.deadline > 0) {
			return Mono.empty();
		}
		long waitUntil = System.nanoTime() + this.router.routing().accountWait().toNanos();
		return Mono.defer(() -> {
			this.sawFull = false;
			this.sawUnhealthy = false;
			this.sawOverloaded = false;
			return tryFrom(ordered(), 0);
		})
			.repeatWhenEmpty((rounds) -> rounds.takeWhile((round) -> this.sawFull && System.nanoTime() < waitUntil)
				.concatMap((round) -> Mono.delay(Duration.ofMillis(Math.min(5L << Math.min(round, 4), 50)))));
	}

	/**
	 * Why no attempt could be made at all, as the client should hear it.
	 * @return the error
	 */
	public GatewayException nothingAvailable() {
		if (this.sawFull) {
			return GatewayException.upstreamUnavailable(
					"Every upstream account that can serve this request is at its concurrency limit; retry shortly",
					Duration.ofSeconds(1));
		}
		if (this.sawUnhealthy && !this.sawOverloaded) {
			// every account left was rate-limited by its upstream: a rate limit, not
			// overload
			Duration wait = Duration.between(Instant.now(),
					(this.firstCooldownEnd != null) ? this.firstCooldownEnd : Instant.now());
			return GatewayException.rateLimited(
					"Every upstream account that can serve this request is rate limited; retry after the cooldown",
					wait);
		}
		if (this.sawUnhealthy) {
			Duration wait = (this.firstCooldownEnd != null) ? Duration.between(Instant.now(), this.firstCooldownEnd)
					: this.router.routing().breaker().openFor();
			return GatewayException.upstreamUnavailable(
					"Every upstream account that can serve this request is cooling down or failing; retry shortly",
					wait);
		}
		return GatewayException.upstreamUnavailable("No upstream account is available for this request");
	}

	private List<Candidate> ordered() {
		List<AccountOrder.Slot> slots = new ArrayList<>(this.eligible.size());
		for (Candidate candidate : this.eligible) {
			AccountView account = candidate.account();
			if (this.tried.contains(account.id())) {
				continue;
			}
			AccountHealthTracker.AccountState state = health().state(account.id());
			slots.add(new AccountOrder.Slot(account.id(), this.router.priority(this.request, account),
					this.router.weight(this.request, account), account.concurrencyLimit(), state.inFlight.get(),
					state.lastUsed));
		}
		List<AccountOrder.Slot> order = AccountOrder.order(slots, this.stickyId, this.preferred);
		List<Candidate> candidates = new ArrayList<>(order.size());
		for (AccountOrder.Slot slot : order) {
			for (Candidate candidate : this.eligible) {
				if (candidate.account().id() == slot.id()) {
					candidates.add(candidate);
					break;
				}
			}
		}
		return candidates;
	}

	private Mono<Attempt> tryFrom(List<Candidate> order, int index) {
		for (int i = index; i < order.size(); i++) {
			Candidate candidate = order.get(i);
			AccountView account = candidate.account();
			AccountHealthTracker.AccountState state = health().state(account.id());
			boolean rateLimited = health().rateLimited(account.id());
			if (health().coolingDown(account.id()) || !state.breaker.tryAcquirePermission()) {
				this.sawUnhealthy = true;
				this.sawOverloaded |= !rateLimited;
				Instant end = health().cooldownEnd(account.id());
				if (end != null && (this.firstCooldownEnd == null || end.isBefore(this.firstCooldownEnd))) {
					this.firstCooldownEnd = end;
				}
				continue;
			}
			Integer limit = account.concurrencyLimit();
			if (!this.takePermits || limit == null) {
				return Mono.just(start(candidate, state, null));
			}
			int next = i + 1;
			return this.router.permits()
				.tryAcquire(List.of(new PermitScope("account:" + account.id(), limit)))
				.map((permit) -> start(candidate, state, permit))
				.switchIfEmpty(Mono.defer(() -> {
					state.breaker.releasePermission();
					this.sawFull = true;
					return tryFrom(order, next);
				}));
		}
		return Mono.empty();
	}

	private Attempt start(Candidate candidate, AccountHealthTracker.AccountState state, Permit permit) {
		this.tried.add(candidate.account().id());
		this.attempts++;
		state.lastUsed = System.nanoTime();
		AccountLease lease = null;
		if (this.takePermits) {
			lease = new AccountLease(state, permit);
			this.request.hold(lease);
		}
		return new Attempt(this, candidate, state, lease);
	}

	/**
	 * Binds the conversation to the account that served it, if it moved. Only messages
	 * bind: count_tokens reads the binding but goes to the accounts that count.
	 */
	void served(AccountView account) {
		if (this.takePermits && this.bindingKey != null && (this.stickyId == null || this.stickyId != account.id())) {
			this.router.bind(this.bindingKey, account, this.request.group().stickyTtl());
		}
	}

}
