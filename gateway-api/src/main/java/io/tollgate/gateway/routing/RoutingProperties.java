package io.tollgate.gateway.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How requests are spread over accounts and how failing accounts are set aside.
 *
 * @param failoverDeadline no further account is tried once a request is this old
 * @param accountWait how long a request waits for room when every eligible account is at
 * its concurrency limit, before it is answered 529
 * @param pingInterval silence on a started stream after which the client gets a
 * {@code ping} event, and then again at this interval
 * @param rateLimitCooldown cooldown after a 429 whose headers name no reset time
 * @param overloadCooldown cooldown after a 529 whose headers name no reset time
 * @param maxCooldown the longest cooldown, whatever the upstream asks for
 * @param healthRefresh how often a node reads the cooldowns and resets other nodes shared
 * @param breaker when an account's circuit breaker opens, and for how long
 */
@ConfigurationProperties("tollgate.routing")
public record RoutingProperties(@DefaultValue("2m") Duration failoverDeadline, @DefaultValue("5s") Duration accountWait,
		@DefaultValue("10s") Duration pingInterval, @DefaultValue("30s") Duration rateLimitCooldown,
		@DefaultValue("10s") Duration overloadCooldown, @DefaultValue("10m") Duration maxCooldown,
		@DefaultValue("1s") Duration healthRefresh, @DefaultValue Breaker breaker) {

	/**
	 * The per-account circuit breaker (Resilience4j, count-based window).
	 *
	 * @param failureRate percentage of failed calls in the window that opens it
	 * @param minimumCalls calls in the window before the rate counts
	 * @param window calls in the sliding window
	 * @param openFor how long it stays open before letting a probe through
	 * @param probes calls let through while half open
	 */
	public record Breaker(@DefaultValue("50") float failureRate, @DefaultValue("4") int minimumCalls,
			@DefaultValue("10") int window, @DefaultValue("30s") Duration openFor, @DefaultValue("1") int probes) {

	}

}
