package io.tollgate.billing.directory;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * A subscription's spend windows. Windows are calendar-aligned in UTC: a day starts at
 * 00:00 UTC, a week on Monday 00:00 UTC, a month on its first day at 00:00 UTC; spend in
 * a window resets when the next one starts.
 */
public enum SpendWindow {

	/** From 00:00 UTC to the next 00:00 UTC. */
	DAILY("d"),

	/** From Monday 00:00 UTC to the next Monday. */
	WEEKLY("w"),

	/** From the first of the month 00:00 UTC to the first of the next. */
	MONTHLY("m");

	private final String code;

	SpendWindow(String code) {
		this.code = code;
	}

	/** When the window containing an instant started. */
	public Instant start(Instant at) {
		LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
		LocalDate start = switch (this) {
			case DAILY -> day;
			case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
			case MONTHLY -> day.withDayOfMonth(1);
		};
		return start.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/** When the window containing an instant ends: the start of the next one. */
	public Instant end(Instant at) {
		LocalDate start = LocalDate.ofInstant(start(at), ZoneOffset.UTC);
		LocalDate next = switch (this) {
			case DAILY -> start.plusDays(1);
			case WEEKLY -> start.plusWeeks(1);
			case MONTHLY -> start.plusMonths(1);
		};
		return next.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/**
	 * A name for one subscription's window containing an instant, unique across windows.
	 * @param subscriptionId the subscription
	 * @param at an instant in the window
	 * @return e.g. {@code 7:d:1763769600}
	 */
	public String key(long subscriptionId, Instant at) {
		return subscriptionId + ":" + this.code + ":" + start(at).getEpochSecond();
	}

}
