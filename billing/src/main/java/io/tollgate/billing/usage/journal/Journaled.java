package io.tollgate.billing.usage.journal;

import io.tollgate.billing.usage.UsageEvent;

/**
 * A request in the journal: its position, and where the journal keeps it.
 */
public final class Journaled {

	private final UsageEvent event;

	private final long sequence;

	private volatile String reference;

	public Journaled(UsageEvent event, long sequence) {
		this.event = event;
		this.sequence = sequence;
	}

	public UsageEvent event() {
		return this.event;
	}

	/** Its position in this run's appends, from 1. */
	public long sequence() {
		return this.sequence;
	}

	/** The journal's own id for it (a Redis stream entry id), or {@code null}. */
	String reference() {
		return this.reference;
	}

	void reference(String reference) {
		this.reference = reference;
	}

}
