/**
 * How upstream accounts are doing, as the router sees them: the port the console reads
 * and resets, implemented by the gateway.
 */
package io.tollgate.billing.health;
