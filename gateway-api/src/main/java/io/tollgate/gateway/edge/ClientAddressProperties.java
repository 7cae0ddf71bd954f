package io.tollgate.gateway.edge;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the client's address is found.
 *
 * @param trustedProxies address blocks of the proxies (load balancers) whose
 * {@code X-Forwarded-For} is believed; empty (the default) means the header is ignored
 * and the connection's peer is the client
 */
@ConfigurationProperties("tollgate.gateway.client-address")
public record ClientAddressProperties(@DefaultValue List<String> trustedProxies) {
}
