/**
 * Alerts: signed webhooks fired by rules (low balance, spent windows and quotas, expiring
 * keys, account health, usage-journal backlog), kept in a persisted outbox and delivered
 * by a worker off the request path. {@link io.tollgate.billing.alerts.Alerts} is the API.
 */
package io.tollgate.billing.alerts;
