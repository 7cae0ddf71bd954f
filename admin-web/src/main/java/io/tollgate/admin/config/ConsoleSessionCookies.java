package io.tollgate.admin.config;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The console's session cookie: {@code HttpOnly}, {@code SameSite=Lax} whatever else is
 * configured, and {@code Secure} whenever the console is reached over HTTPS: on a TLS
 * connection, or when the request's scheme says {@code https} because forwarded headers
 * are trusted ({@code server.forward-headers-strategy}). A client cannot make it
 * {@code Secure} or not by sending {@code X-Forwarded-Proto} alone.
 */
final class ConsoleSessionCookies implements WebSessionIdResolver {

	private final CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		return this.cookies.resolveSessionIds(exchange);
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String sessionId) {
		this.cookies.setSessionId(exchange, sessionId);
		harden(exchange);
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		this.cookies.expireSession(exchange);
		harden(exchange);
	}

	private void harden(ServerWebExchange exchange) {
		String name = this.cookies.getCookieName();
		ResponseCookie cookie = exchange.getResponse().getCookies().getFirst(name);
		if (cookie != null) {
			exchange.getResponse()
				.getCookies()
				.set(name,
						cookie.mutate().httpOnly(true).sameSite("Lax").secure(overTls(exchange.getRequest())).build());
		}
	}

	static boolean overTls(ServerHttpRequest request) {
		return request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme());
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		@Bean
		WebSessionIdResolver webSessionIdResolver() {
			return new ConsoleSessionCookies();
		}

	}

}
