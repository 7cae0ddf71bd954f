package io.tollgate.admin.config;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * What the console's and the tenant portal's security chains share.
 */
public final class SecurityChains {

	/** Pages load only what Tollgate serves; no inline script. */
	public static final String PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
			+ "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

	private SecurityChains() {
	}

	/**
	 * A stateless chain for an API authenticated by bearer tokens: no session, no CSRF,
	 * no login page; a missing or unknown token is a plain 401. The caller adds its
	 * authorization rules and builds it.
	 * @param http the chain's builder
	 * @param paths the paths it covers
	 * @param tokens checks a presented token
	 * @return the builder, ready for its authorization rules
	 */
	public static ServerHttpSecurity bearerTokenApi(ServerHttpSecurity http, String paths,
			ReactiveAuthenticationManager tokens) {
		AuthenticationWebFilter bearer = new AuthenticationWebFilter(tokens);
		bearer.setServerAuthenticationConverter((exchange) -> {
			String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
			if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				return Mono.empty();
			}
			String token = header.substring(7).trim();
			return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(token, token));
		});
		HttpStatusServerEntryPoint unauthorized = new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED);
		bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized));
		bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(paths))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized));
	}

}
