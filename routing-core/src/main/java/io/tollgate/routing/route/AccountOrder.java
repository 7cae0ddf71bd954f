package io.tollgate.routing.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the accounts that may serve a request: the ones the request names explicitly
 * first (in its order), then the sticky account, then by priority tier (lower first),
 * within a tier by load (in-flight requests relative to capacity and weight, lightest
 * first), and ties to the least recently used.
 */
public final class AccountOrder {

	private static final Comparator<Slot> BY_TIER_LOAD_AND_AGE = Comparator.comparingInt(Slot::priority)
		.thenComparingDouble(Slot::load)
		.thenComparingLong(Slot::lastUsed)
		.thenComparingLong(Slot::id);

	private AccountOrder() {
	}

	/**
	 * Orders slots.
	 * @param slots the eligible accounts
	 * @param stickyId the account the conversation is bound to, or {@code null}
	 * @param preferred account ids the request asks for first, in its order; may be empty
	 * @return a new list, best first
	 */
	public static List<Slot> order(List<Slot> slots, Long stickyId, List<Long> preferred) {
		List<Slot> rest = new ArrayList<>(slots);
		List<Slot> ordered = new ArrayList<>(slots.size());
		for (Long id : preferred) {
			takeInto(rest, id, ordered);
		}
		if (stickyId != null && preferred.isEmpty()) {
			takeInto(rest, stickyId, ordered);
		}
		rest.sort(BY_TIER_LOAD_AND_AGE);
		ordered.addAll(rest);
		return ordered;
	}

	private static void takeInto(List<Slot> rest, long id, List<Slot> ordered) {
		for (int i = 0; i < rest.size(); i++) {
			if (rest.get(i).id() == id) {
				ordered.add(rest.remove(i));
				return;
			}
		}
	}

	/**
	 * One account as the ordering sees it.
	 *
	 * @param id account id
	 * @param priority tier, lower first
	 * @param weight share of load within the tier, at least 1
	 * @param capacity concurrency limit, or {@code null} for unlimited
	 * @param inFlight requests it is carrying now
	 * @param lastUsed when it was last chosen (any monotonic clock), 0 for never
	 */
	public record Slot(long id, int priority, int weight, Integer capacity, int inFlight, long lastUsed) {

		/**
		 * In-flight requests divided by capacity (1 when unlimited) and weight: the
		 * account with the most room for its share comes first.
		 * @return the relative load
		 */
		public double load() {
			double room = Math.max(1, this.weight) * ((this.capacity != null && this.capacity > 0) ? this.capacity : 1);
			return this.inFlight / room;
		}

	}

}
