package io.tollgate.billing.admin;

import java.time.Instant;

/**
 * Which usage records to read: a half-open time range and optional equality filters.
 *
 * @param from first instant included
 * @param to first instant excluded
 * @param tenantId tenant, or {@code null}
 * @param keyId key, or {@code null}
 * @param groupId group, or {@code null}
 * @param model requested model, or {@code null}
 * @param outcome outcome ({@code ok}, {@code upstream_error}, ...), or {@code null}
 */
public record UsageFilter(Instant from, Instant to, Long tenantId, Long keyId, Long groupId, String model,
		String outcome) {

	public UsageFilter {
		if (from == null || to == null) {
			throw AdminException.invalid("A time range is required");
		}
		if (!to.isAfter(from)) {
			throw AdminException.invalid("The range must end after it starts");
		}
		model = (model != null && !model.isBlank()) ? model.trim() : null;
		outcome = (outcome != null && !outcome.isBlank()) ? outcome.trim() : null;
	}

	/** Everything in a range. */
	public static UsageFilter between(Instant from, Instant to) {
		return new UsageFilter(from, to, null, null, null, null, null);
	}

}
