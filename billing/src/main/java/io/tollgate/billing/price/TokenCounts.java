package io.tollgate.billing.price;

/**
 * The billable tokens of one request.
 *
 * @param input uncached input tokens
 * @param output output tokens, thinking included
 * @param cacheWrite5m input tokens written to the five-minute prompt cache
 * @param cacheWrite1h input tokens written to the one-hour prompt cache
 * @param cacheRead input tokens read from the prompt cache
 */
public record TokenCounts(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead) {

	public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0);

	public long cacheWrite() {
		return this.cacheWrite5m + this.cacheWrite1h;
	}

	public long total() {
		return this.input + this.output + this.cacheWrite5m + this.cacheWrite1h + this.cacheRead;
	}

}
