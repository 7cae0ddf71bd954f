package io.tollgate.billing.redemption;

import io.tollgate.billing.ledger.LedgerEntry;

/**
 * A code redeemed: the top-up it became.
 *
 * @param codePrefix the first characters of the code
 * @param entry the ledger entry that credited it
 */
public record Redemption(String codePrefix, LedgerEntry entry) {

}
