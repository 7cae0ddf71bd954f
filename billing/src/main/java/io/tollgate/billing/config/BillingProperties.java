package io.tollgate.billing.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.tollgate.billing.admission.AdmissionDefaults;
import io.tollgate.billing.directory.AdmissionPolicy;
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
 * @param admission what admission does when less than a request's full cost bound is
 * left, for groups and tenants without their own setting
 */
@ConfigurationProperties("tollgate.billing")
public record BillingProperties(@DefaultValue("2s") Duration directoryPollInterval,
		@DefaultValue("200") int usageBatchSize, @DefaultValue("100ms") Duration usageFlushInterval,
		@DefaultValue("0") BigDecimal balanceReserve, @DefaultValue("2s") Duration concurrencyWait,
		@DefaultValue("true") boolean journal, DefaultPrice defaultPrice, @DefaultValue Admission admission) {

	/**
	 * The admission policy defaults.
	 *
	 * @param policy {@code clamp}, {@code overdraft} or {@code strict}, for groups
	 * without their own
	 * @param floorTokens the fewest output tokens a clamped request is sent with; below
	 * that it is refused
	 * @param overdraftLimit how far the overdraft policy lets a tenant without its own
	 * limit go beyond what was left
	 */
	public record Admission(@DefaultValue("clamp") String policy, @DefaultValue("256") long floorTokens,
			@DefaultValue("0") BigDecimal overdraftLimit) {

		/**
		 * These settings for billing's admission.
		 * @return the defaults
		 */
		public AdmissionDefaults toDefaults() {
			return new AdmissionDefaults(AdmissionPolicy.parse(this.policy), this.floorTokens, this.overdraftLimit);
		}

	}

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
