package io.tollgate.routing.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.tollgate.routing.route.AccountOrder.Slot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccountOrderTests {

	private static List<Long> ids(List<Slot> slots) {
		return slots.stream().map(Slot::id).toList();
	}

	@Test
	void ordersByPriorityTierFirst() {
		List<Slot> slots = List.of(new Slot(1, 1, 1, null, 0, 0), new Slot(2, 0, 1, null, 5, 0),
				new Slot(3, 2, 1, null, 0, 0));
		assertThat(ids(AccountOrder.order(slots, null, List.of()))).containsExactly(2L, 1L, 3L);
	}

	@Test
	void prefersTheLeastLoadedRelativeToCapacityAndWeightWithinATier() {
		List<Slot> slots = List.of(new Slot(1, 0, 1, 10, 5, 0), new Slot(2, 0, 1, 4, 1, 0),
				new Slot(3, 0, 3, null, 2, 0), new Slot(4, 0, 1, null, 1, 0));
		// loads: 0.5, 0.25, 0.667, 1.0
		assertThat(ids(AccountOrder.order(slots, null, List.of()))).containsExactly(2L, 1L, 3L, 4L);
	}

	@Test
	void breaksTiesByLeastRecentlyUsed() {
		List<Slot> slots = List.of(new Slot(1, 0, 1, null, 0, 300), new Slot(2, 0, 1, null, 0, 100),
				new Slot(3, 0, 1, null, 0, 0));
		assertThat(ids(AccountOrder.order(slots, null, List.of()))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void putsTheStickyAccountFirstWhateverItsTierAndLoad() {
		List<Slot> slots = List.of(new Slot(1, 0, 1, null, 0, 0), new Slot(2, 5, 1, null, 9, 0));
		assertThat(ids(AccountOrder.order(slots, 2L, List.of()))).containsExactly(2L, 1L);
	}

	@Test
	void ignoresAStickyAccountThatIsNotEligible() {
		List<Slot> slots = List.of(new Slot(1, 1, 1, null, 0, 0), new Slot(2, 0, 1, null, 0, 0));
		assertThat(ids(AccountOrder.order(slots, 7L, List.of()))).containsExactly(2L, 1L);
	}

	@Test
	void putsExplicitlyOrderedAccountsFirstAheadOfTheStickyOne() {
		List<Slot> slots = List.of(new Slot(1, 0, 1, null, 0, 0), new Slot(2, 0, 1, null, 0, 0),
				new Slot(3, 0, 1, null, 0, 0));
		assertThat(ids(AccountOrder.order(slots, 1L, List.of(3L, 2L)))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void returnsEachEligibleAccountExactlyOnceWhateverTheInput() {
		Random random = new Random(42);
		for (int run = 0; run < 500; run++) {
			List<Slot> slots = new ArrayList<>();
			int count = 1 + random.nextInt(8);
			for (int i = 0; i < count; i++) {
				slots.add(new Slot(i, random.nextInt(3), 1 + random.nextInt(3),
						random.nextBoolean() ? null : 1 + random.nextInt(5), random.nextInt(6), random.nextInt(100)));
			}
			Long sticky = random.nextBoolean() ? (long) random.nextInt(10) : null;
			List<Slot> ordered = AccountOrder.order(slots, sticky, List.of());
			assertThat(ordered).containsExactlyInAnyOrderElementsOf(slots);
			int from = (sticky != null && sticky < count) ? 1 : 0;
			if (from == 1) {
				assertThat(ordered.get(0).id()).isEqualTo(sticky);
			}
			for (int i = from + 1; i < ordered.size(); i++) {
				Slot before = ordered.get(i - 1);
				Slot after = ordered.get(i);
				assertThat(before.priority()).isLessThanOrEqualTo(after.priority());
				if (before.priority() == after.priority()) {
					assertThat(before.load()).isLessThanOrEqualTo(after.load());
				}
			}
		}
	}

}
