package io.tollgate.billing.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.tollgate.billing.price.Price;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Billing's tuning.
 *
 * @param directoryPollInterval how often each node checks whether the configuration
 * changed
 * @param usageBatchSize most usage records written in one transaction
 * @param usageFlushInterval how often queued usage is written
 * @param balanceReserve the least a prepaid balance must keep after what requests in
 * flight may cost; negative to allow that much credit
 * @param concurrencyWait longest a request waits for a free concurrency permit of its key
 * or tenant before it is refused with 429
 * @param journal whether finished requests go through the durable usage journal before
 * the database (a file in the data directory, or a Redis stream with Redis)
 * @param defaultPrice per-million-token price of models no configured price matches; when
 * unset such models are refused
 */
@ConfigurationProperties("tollgate.billing")
public record BillingProperties(@DefaultValue("2s") Duration directoryPollInterval,
		@DefaultValue("200") int usageBatchSize, @DefaultValue("100ms") Duration usageFlushInterval,
		@DefaultValue("0") BigDecimal balanceReserve, @DefaultValue("2s") Duration concurrencyWait,
		@DefaultValue("true") boolean journal, DefaultPrice defaultPrice) {

	/**
	 * The default price as a price version, or {@code null} when none is configured.
	 * @return the price
	 */
	public Price fallbackPrice() {
		return (this.defaultPrice != null && this.defaultPrice.input() != null && this.defaultPrice.output() != null)
				? this.defaultPrice.toPrice() : null;
	}

	/**
	 * An explicit price, per million tokens, for models without one; input and output are
	 * required, the cache prices default to zero.
	 *
	 * @param input uncached input
	 * @param output output
	 * @param cacheWrite5m five-minute cache write
	 * @param cacheWrite1h one-hour cache write
	 * @param cacheRead cache read
	 */
	public record DefaultPrice(BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
			BigDecimal cacheRead) {

		Price toPrice() {
			return new Price(0, "*", this.input, this.output, orZero(this.cacheWrite5m), orZero(this.cacheWrite1h),
					orZero(this.cacheRead), Instant.EPOCH);
		}

		private static BigDecimal orZero(BigDecimal value) {
			return (value != null) ? value : BigDecimal.ZERO;
		}

	}

}
