package io.tollgate.billing.admin;

import java.time.LocalDate;

/**
 * Prompt-cache use of some usage: cache-read tokens over cacheable input (input, cache
 * writes and cache reads).
 *
 * @param name what the usage is grouped by (a tenant, group, account or model name)
 * @param cacheRead cache-read tokens
 * @param cacheable input, cache-write and cache-read tokens
 */
public record CacheHits(String name, long cacheRead, long cacheable) {

	/** The hit rate, from 0 to 1; 0 without cacheable input. */
	public double ratio() {
		return ratio(this.cacheRead, this.cacheable);
	}

	static double ratio(long cacheRead, long cacheable) {
		return (cacheable > 0) ? (double) cacheRead / cacheable : 0;
	}

	/** What cache hits are grouped by. */
	public enum By {

		TENANT("t.name"), GROUP("g.name"), ACCOUNT("a.name"), MODEL("u.upstream_model");

		final String column;

		By(String column) {
			this.column = column;
		}

	}

	/**
	 * Prompt-cache use of one UTC day.
	 *
	 * @param day the day
	 * @param cacheRead cache-read tokens
	 * @param cacheable input, cache-write and cache-read tokens
	 */
	public record Daily(LocalDate day, long cacheRead, long cacheable) {

		public double ratio() {
			return CacheHits.ratio(this.cacheRead, this.cacheable);
		}

	}

}
