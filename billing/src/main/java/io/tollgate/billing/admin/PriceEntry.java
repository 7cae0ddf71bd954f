package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A price book entry: prices per million tokens for models matching a pattern, from a
 * date on.
 *
 * @param id id ({@code 0} for a new entry)
 * @param modelPattern model name or wildcard pattern
 * @param input input tokens
 * @param output output tokens
 * @param cacheWrite5m cache writes with a 5-minute TTL
 * @param cacheWrite1h cache writes with a 1-hour TTL
 * @param cacheRead cache reads
 * @param effectiveFrom when it takes effect
 */
public record PriceEntry(long id, String modelPattern, BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m,
		BigDecimal cacheWrite1h, BigDecimal cacheRead, Instant effectiveFrom) {

}
