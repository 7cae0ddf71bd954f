package io.tollgate.billing.usage.journal;

import java.util.List;

import io.tollgate.billing.usage.UsageEvent;

/**
 * The durable journal between the hot path and the database: every finished request is
 * appended before it is queued for writing, and dropped once its batch is in the
 * database. What a killed process left behind is replayed at the next start; writing is
 * idempotent by request id, so a replayed request is never recorded or charged twice.
 */
public interface UsageJournal extends AutoCloseable {

	/**
	 * Appends a finished request. Callers serialise appends with queueing, so that the
	 * journal order is the queue order.
	 * @param event the request
	 * @return its journal entry
	 */
	Journaled append(UsageEvent event);

	/**
	 * Notes that entries are in the database; they, and everything appended before them,
	 * may be dropped.
	 * @param batch the entries just written, in append order
	 */
	void committed(List<Journaled> batch);

	/**
	 * What earlier runs appended and did not see committed, oldest first, including
	 * entries that cannot be read. Call once, at start.
	 * @return the left-over entries
	 */
	List<LeftOver> leftOver();

	/**
	 * Notes that some left-over entries are in the database (or in quarantine); a journal
	 * that can drop single entries drops them now.
	 * @param entries entries {@link #leftOver()} returned
	 */
	default void replayed(List<LeftOver> entries) {
	}

	/** Drops what {@link #leftOver()} returned, once all of it is in the database. */
	void dropLeftOver();

	@Override
	void close();

	/** A journal that keeps nothing: usage is only as durable as the in-memory queue. */
	UsageJournal NONE = new UsageJournal() {

		@Override
		public Journaled append(UsageEvent event) {
			return new Journaled(event, 0);
		}

		@Override
		public void committed(List<Journaled> batch) {
		}

		@Override
		public List<LeftOver> leftOver() {
			return List.of();
		}

		@Override
		public void dropLeftOver() {
		}

		@Override
		public void close() {
		}

	};

}
