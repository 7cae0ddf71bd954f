package io.tollgate.billing.usage.journal;

import io.tollgate.billing.usage.UsageEvent;

/**
 * A request in the journal: its position, and where the journal keeps it.
 */
public final class Journaled {

	private final UsageEvent event;

	private final long sequence;

	private String reference;

	private boolean committed;

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
	synchronized String reference() {
		return this.reference;
	}

	/**
	 * Notes the journal's id for it, once the journal gave one.
	 * @return whether it was committed meanwhile, and should now be dropped
	 */
	synchronized boolean reference(String reference) {
		this.reference = reference;
		return this.committed;
	}

	/**
	 * Notes that it is in the database.
	 * @return the journal's id to drop it by, or {@code null} when the journal has not
	 * given one yet (it is dropped as soon as it does)
	 */
	synchronized String commit() {
		this.committed = true;
		return this.reference;
	}

}
