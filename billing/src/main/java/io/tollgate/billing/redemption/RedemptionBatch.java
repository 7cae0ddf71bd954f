package io.tollgate.billing.redemption;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A batch of redemption codes just generated: the only time the codes exist in clear.
 *
 * @param batch the batch name
 * @param amount what each code credits
 * @param expiresAt when the codes stop working, or {@code null}
 * @param codes the codes
 */
public record RedemptionBatch(String batch, BigDecimal amount, Instant expiresAt, List<String> codes) {

	/**
	 * How far a batch has been redeemed.
	 *
	 * @param batch the batch name
	 * @param amount what each code credits
	 * @param codes codes in the batch
	 * @param redeemed codes redeemed
	 * @param expiresAt when the codes stop working, or {@code null}
	 * @param createdBy who generated it
	 * @param createdAt when
	 */
	public record Summary(String batch, BigDecimal amount, long codes, long redeemed, Instant expiresAt,
			String createdBy, Instant createdAt) {
	}

}
