package io.tollgate.billing.usage;

import java.time.Duration;

/**
 * How far usage writing lags behind the hot path on this node.
 *
 * @param entries finished requests journaled and not yet in the database
 * @param oldestAge how long the oldest of them has been waiting, zero when none
 * @param lastWriteLag for the last batch written, the time from its oldest request's end
 * to the batch being in the database
 */
public record UsageBacklog(long entries, Duration oldestAge, Duration lastWriteLag) {

}
