package io.tollgate.gateway.config;

import io.tollgate.gateway.forward.UpstreamClient;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.autoconfigure.ReactorNettyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The gateway's infrastructure beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

	@Bean
	UpstreamClient upstreamClient(GatewayProperties properties) {
		return new UpstreamClient(properties.upstreamConnections(), properties.connectTimeout(),
				properties.firstByteTimeout(), properties.idleTimeout(), properties.eventLoops());
	}

	/**
	 * The server's event loops, one per processor unless configured: nothing blocks on
	 * them, so more loops than processors only add wake-ups and context switches (Reactor
	 * Netty's default is at least four).
	 * @param properties the gateway's settings
	 * @param netty Reactor Netty's settings
	 * @return the resources the server runs on
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory(GatewayProperties properties,
			ObjectProvider<ReactorNettyProperties> netty) {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResourcesSupplier(() -> LoopResources.create("reactor-http", properties.eventLoops(), true));
		netty.ifAvailable((settings) -> {
			if (settings.getShutdownQuietPeriod() != null) {
				factory.setShutdownQuietPeriod(settings.getShutdownQuietPeriod());
			}
		});
		return factory;
	}

}
