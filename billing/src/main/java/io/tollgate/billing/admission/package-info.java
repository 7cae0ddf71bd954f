/**
 * Admission: whether a request may go upstream (rate limits, spend windows, balance,
 * quotas, concurrency), decided from memory and the shared counters only, and the
 * settling of what it reserved once it ends.
 */
package io.tollgate.billing.admission;
