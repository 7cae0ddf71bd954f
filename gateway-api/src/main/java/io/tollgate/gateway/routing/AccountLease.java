package io.tollgate.gateway.routing;

import java.util.concurrent.atomic.AtomicBoolean;

import io.tollgate.billing.coordination.Permit;

/**
 * A request's hold on an account: counts it in the account's in-flight requests on this
 * node and, when the account has a concurrency limit, holds its shared permit. Released
 * exactly once, by the first of: the attempt failing, the response ending.
 */
final class AccountLease implements Permit {

	private final AccountHealthTracker.AccountState state;

	private final Permit shared;

	private final AtomicBoolean released = new AtomicBoolean();

	AccountLease(AccountHealthTracker.AccountState state, Permit shared) {
		this.state = state;
		this.shared = shared;
		state.inFlight.incrementAndGet();
	}

	@Override
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.state.inFlight.decrementAndGet();
			if (this.shared != null) {
				this.shared.release();
			}
		}
	}

}
