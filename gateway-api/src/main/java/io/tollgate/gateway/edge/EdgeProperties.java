package io.tollgate.gateway.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on client connections, so that idle, slow or half-sent connections cannot
 * exhaust the node.
 *
 * @param idleTimeout how long a keep-alive connection may wait for its next request (and
 * a new connection for its first byte) before it is closed
 * @param headTimeout how long a request head (request line and headers) may take to
 * arrive once its first byte did; a slower head gets 408 and the connection is closed
 * @param bodyReadTimeout longest silence between two reads of a request body
 * @param bodyTimeout longest time to receive a whole request body
 * @param maxConnections most client connections open at once on this node; 0 for no limit
 * @param maxConnectionsPerAddress most client connections open at once from one address
 * (the connection's peer; trusted proxies are exempt); 0 for no limit
 */
@ConfigurationProperties("tollgate.gateway.edge")
public record EdgeProperties(@DefaultValue("60s") Duration idleTimeout, @DefaultValue("10s") Duration headTimeout,
		@DefaultValue("30s") Duration bodyReadTimeout, @DefaultValue("2m") Duration bodyTimeout,
		@DefaultValue("10000") int maxConnections, @DefaultValue("256") int maxConnectionsPerAddress) {

	public EdgeProperties {
		for (Duration timeout : new Duration[] { idleTimeout, headTimeout, bodyReadTimeout, bodyTimeout }) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("tollgate.gateway.edge timeouts must be positive");
			}
		}
		if (maxConnections < 0 || maxConnectionsPerAddress < 0) {
			throw new IllegalArgumentException("tollgate.gateway.edge connection limits must be 0 or more");
		}
	}

}
