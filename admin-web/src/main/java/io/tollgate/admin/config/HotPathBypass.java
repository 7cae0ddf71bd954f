package io.tollgate.admin.config;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Keeps Spring Security's filter-chain proxy off the tenant hot path. The proxy runs its
 * firewall and observations on every request before it finds that no chain matches;
 * tenant calls ({@code /v1/messages}, {@code count_tokens}, {@code /v1/models}) never
 * need it, so they go straight on. Only those exact, plain paths are let past: anything
 * else (the admin plane, unknown paths, paths with dot segments, encoded or doubled
 * slashes) still goes through the proxy.
 */
final class HotPathBypass implements WebFilter, Ordered {

	private final WebFilter security;

	private final int order;

	HotPathBypass(WebFilter security, int order) {
		this.security = security;
		this.order = order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getURI().getRawPath();
		return isTenantPath(path) ? chain.filter(exchange) : this.security.filter(exchange, chain);
	}

	static boolean isTenantPath(String path) {
		if (path == null || !path.startsWith("/v1/")) {
			return false;
		}
		if (path.equals("/v1/messages") || path.equals("/v1/messages/count_tokens") || path.equals("/v1/models")) {
			return true;
		}
		if (!path.startsWith("/v1/models/") || path.length() == "/v1/models/".length()) {
			return false;
		}
		for (int i = "/v1/models/".length(); i < path.length(); i++) {
			char c = path.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == ':' || (c == '.' && path.charAt(i - 1) != '.' && path.charAt(i - 1) != '/');
			if (!plain) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/** Wraps the proxy wherever Spring Security defines it. */
	static final class Installer implements BeanPostProcessor {

		/** Where Spring Security orders its proxy among the web filters. */
		private static final int SECURITY_ORDER = -100;

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			return (bean instanceof WebFilterChainProxy proxy) ? new HotPathBypass(proxy, SECURITY_ORDER) : bean;
		}

	}

}
