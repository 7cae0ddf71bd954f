package io.tollgate.routing.usage;

/**
 * Tokens of one response, in Anthropic's terms: {@code inputTokens} excludes cached
 * tokens.
 *
 * @param inputTokens uncached input tokens
 * @param outputTokens output tokens, thinking included
 * @param cacheCreationInputTokens all tokens written to the prompt cache
 * @param cacheCreation5mInputTokens the part of the cache write with a five-minute
 * lifetime
 * @param cacheCreation1hInputTokens the part of the cache write with a one-hour lifetime
 * @param cacheReadInputTokens tokens read from the prompt cache
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheCreationInputTokens,
		long cacheCreation5mInputTokens, long cacheCreation1hInputTokens, long cacheReadInputTokens) {

	public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, 0);

	/**
	 * Cache-write tokens whose lifetime the upstream did not break down count as
	 * five-minute writes.
	 * @return the five-minute part, never negative
	 */
	public long cacheCreation5mOrAll() {
		long split = this.cacheCreation5mInputTokens + this.cacheCreation1hInputTokens;
		return (split == 0) ? this.cacheCreationInputTokens : this.cacheCreation5mInputTokens;
	}

	public TokenUsage withOutputTokens(long output) {
		return new TokenUsage(this.inputTokens, output, this.cacheCreationInputTokens, this.cacheCreation5mInputTokens,
				this.cacheCreation1hInputTokens, this.cacheReadInputTokens);
	}

}
