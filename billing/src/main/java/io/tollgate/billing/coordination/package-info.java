/**
 * State shared by the nodes of a cluster: concurrency permits, rate limits, counters and
 * bindings. Each port has an in-process implementation for the embedded default and a
 * Redis implementation chosen when {@code tollgate.redis.url} is set; callers see the
 * same behaviour from both.
 */
package io.tollgate.billing.coordination;
