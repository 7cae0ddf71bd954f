package io.tollgate.billing.directory;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windows are calendar-aligned in UTC. */
class SpendWindowTests {

	private static final Instant WEDNESDAY = Instant.parse("2026-12-30T23:59:59Z");

	@Test
	void windowsStartAndEndOnUtcCalendarBoundaries() {
		assertThat(SpendWindow.DAILY.start(WEDNESDAY)).isEqualTo("2026-12-30T00:00:00Z");
		assertThat(SpendWindow.DAILY.end(WEDNESDAY)).isEqualTo("2026-12-31T00:00:00Z");
		assertThat(SpendWindow.WEEKLY.start(WEDNESDAY)).isEqualTo("2026-12-28T00:00:00Z");
		assertThat(SpendWindow.WEEKLY.end(WEDNESDAY)).isEqualTo("2027-01-04T00:00:00Z");
		assertThat(SpendWindow.MONTHLY.start(WEDNESDAY)).isEqualTo("2026-12-01T00:00:00Z");
		assertThat(SpendWindow.MONTHLY.end(WEDNESDAY)).isEqualTo("2027-01-01T00:00:00Z");
		assertThat(SpendWindow.WEEKLY.start(Instant.parse("2026-12-28T00:00:00Z"))).isEqualTo("2026-12-28T00:00:00Z");
	}

	@Test
	void eachWindowHasItsOwnKey() {
		assertThat(SpendWindow.DAILY.key(7, WEDNESDAY)).isNotEqualTo(SpendWindow.DAILY.key(7, WEDNESDAY.plusSeconds(1)))
			.isNotEqualTo(SpendWindow.WEEKLY.key(7, WEDNESDAY))
			.isNotEqualTo(SpendWindow.DAILY.key(8, WEDNESDAY));
		assertThat(SpendWindow.MONTHLY.key(7, WEDNESDAY))
			.isEqualTo(SpendWindow.MONTHLY.key(7, Instant.parse("2026-12-01T00:00:00Z")));
	}

}
