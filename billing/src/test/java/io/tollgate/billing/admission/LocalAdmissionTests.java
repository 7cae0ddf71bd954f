package io.tollgate.billing.admission;

import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.coordination.internal.LocalCounters;
import io.tollgate.billing.coordination.internal.LocalPermits;
import io.tollgate.billing.coordination.internal.LocalRateLimits;

/** Admission on one node: the in-process ports. */
class LocalAdmissionTests extends AdmissionContract {

	private final Permits permits = new LocalPermits();

	private final RateLimits rateLimits = new LocalRateLimits();

	private final Counters counters = new LocalCounters();

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

}
