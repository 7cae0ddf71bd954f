package io.tollgate.gateway.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Hardens the Reactor Netty server Tollgate runs on: the idle timeout of keep-alive
 * connections, the read and request timeouts of request bodies, the connection limits,
 * and {@link EdgeConnection} on every connection for the head timeout and the errors
 * raised before the application.
 */
@Component
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeServerCustomizer implements NettyServerCustomizer {

	private static final String RAW_READS = "tollgate.rawReads";

	private static final String EDGE = "tollgate.edge";

	private final EdgeProperties properties;

	private final ConnectionLimits limits;

	private final EdgeMetrics metrics;

	public EdgeServerCustomizer(EdgeProperties properties, ClientAddressProperties clientAddress,
			MeterRegistry registry) {
		this.properties = properties;
		this.limits = new ConnectionLimits(properties.maxConnections(), properties.maxConnectionsPerAddress(),
				clientAddress.trustedProxies().stream().map(Cidr::parse).toList());
		this.metrics = new EdgeMetrics(registry, this.limits);
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.idleTimeout(this.properties.idleTimeout())
			.readTimeout(this.properties.bodyReadTimeout())
			.requestTimeout(this.properties.bodyTimeout())
			.doOnChannelInit((observer, channel, remoteAddress) -> install(channel));
	}

	private void install(Channel channel) {
		// the configurer's remote address is the one a client dials; a server's peer is
		// the channel's
		SocketAddress peer = channel.remoteAddress();
		InetAddress address = (peer instanceof InetSocketAddress inet) ? inet.getAddress() : null;
		ConnectionLimits.Refusal refusal = this.limits.open(address);
		if (refusal == null) {
			channel.closeFuture().addListener((future) -> this.limits.closed(address));
		}
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(NettyPipeline.HttpTrafficHandler) == null) {
			// not plain HTTP/1.1 (h2c, TLS negotiation): only the limits apply
			if (refusal != null) {
				channel.close();
			}
			return;
		}
		EdgeConnection edge = new EdgeConnection(this.properties.headTimeout().toMillis(), this.metrics, refusal);
		pipeline.addBefore(NettyPipeline.HttpCodec, RAW_READS, edge.rawReads());
		pipeline.addBefore(NettyPipeline.HttpTrafficHandler, EDGE, edge);
	}

}
