package io.tollgate.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's hot-path settings.
 *
 * @param maxRequestSize largest request body accepted (Anthropic's limit is 32 MB)
 * @param connectTimeout time to open a connection to an upstream
 * @param firstByteTimeout time from sending a request to the upstream's response head
 * @param idleTimeout longest silence between two reads of an upstream response once its
 * head arrived; a stream that stays silent longer ends with an {@code error} event
 * @param pingInterval silence on a started stream after which the client gets a
 * {@code ping} event (and again at this interval), so intermediaries keep the connection
 * @param maxAttempts most upstream accounts tried for one request before the first byte
 * @param upstreamConnections most connections to one upstream, shared out between the
 * event loops (each keeps its own pool)
 * @param eventLoops the server's event loops; 0 (the default) for one per processor
 */
@ConfigurationProperties("tollgate.gateway")
public record GatewayProperties(@DefaultValue("32MB") DataSize maxRequestSize,
		@DefaultValue("10s") Duration connectTimeout, @DefaultValue("5m") Duration firstByteTimeout,
		@DefaultValue("5m") Duration idleTimeout, @DefaultValue("3") int maxAttempts,
		@DefaultValue("1024") int upstreamConnections, @DefaultValue("0") int eventLoops,
		@DefaultValue("10s") Duration pingInterval) {

	public GatewayProperties {
		if (eventLoops <= 0) {
			eventLoops = Runtime.getRuntime().availableProcessors();
		}
	}

}
