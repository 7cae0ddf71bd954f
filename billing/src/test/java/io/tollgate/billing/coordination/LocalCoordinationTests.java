package io.tollgate.billing.coordination;

import io.tollgate.billing.coordination.internal.LocalBindings;
import io.tollgate.billing.coordination.internal.LocalCounters;
import io.tollgate.billing.coordination.internal.LocalPermits;
import io.tollgate.billing.coordination.internal.LocalRateLimits;

class LocalCoordinationTests extends CoordinationContract {

	private final Permits permits = new LocalPermits();

	private final RateLimits rateLimits = new LocalRateLimits();

	private final Counters counters = new LocalCounters();

	private final Bindings bindings = new LocalBindings();

	@Override
	protected Permits permits() {
		return this.permits;
	}

	@Override
	protected RateLimits rateLimits() {
		return this.rateLimits;
	}

	@Override
	protected Counters counters() {
		return this.counters;
	}

	@Override
	protected Bindings bindings() {
		return this.bindings;
	}

}
