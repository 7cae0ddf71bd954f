package io.tollgate.admin.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.tollgate.billing.admin.AdminException;

/**
 * Reads the {@code from}/{@code to} parameters of usage pages, the API and exports: an
 * ISO instant, or a UTC date ({@code to} as a date includes that whole day).
 */
public final class DateRange {

	private DateRange() {
	}

	/** The start of a range; {@code fallback} when absent. */
	public static Instant from(String value, Instant fallback) {
		return parse(value, false, fallback);
	}

	/** The exclusive end of a range; {@code fallback} when absent. */
	public static Instant to(String value, Instant fallback) {
		return parse(value, true, fallback);
	}

	private static Instant parse(String value, boolean end, Instant fallback) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			if (value.length() == 10) {
				LocalDate day = LocalDate.parse(value);
				return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw AdminException.invalid("Not a date (yyyy-MM-dd) or instant: " + value);
		}
	}

}
