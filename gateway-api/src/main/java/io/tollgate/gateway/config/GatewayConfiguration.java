package io.tollgate.gateway.config;

import io.tollgate.gateway.forward.UpstreamClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's infrastructure beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

	@Bean
	UpstreamClient upstreamClient(GatewayProperties properties) {
		return new UpstreamClient(properties.upstreamConnections(), properties.connectTimeout());
	}

}
