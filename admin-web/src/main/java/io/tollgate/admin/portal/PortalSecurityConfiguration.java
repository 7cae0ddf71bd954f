package io.tollgate.admin.portal;

import java.net.URI;

import io.tollgate.admin.config.AdminProperties;
import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.config.LoginThrottle;
import io.tollgate.admin.config.SecurityChains;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Security for the tenant side, separate from the admin plane's: the tenant API
 * ({@code /api/tenant/**}, bearer tenant API tokens, no session, no CSRF; inference keys
 * and admin tokens get 401) and the portal ({@code /portal/**}, form login, CSRF, the
 * console's throttling and idle timeout). The portal keeps its login under its own
 * session attribute, so a portal login never counts as a console login or the reverse.
 * Only a tenant's owner manages its users and API tokens, and changes its notifications
 * (members read them).
 */
@Configuration(proxyBeanMethods = false)
@ConsoleEnabled
class PortalSecurityConfiguration {

	/** The session attribute holding a portal login. */
	static final String SESSION_ATTRIBUTE = "TOLLGATE_PORTAL_SECURITY_CONTEXT";

	static final String OWNER = "TENANT_OWNER";

	static final String MEMBER = "TENANT_MEMBER";

	static final String TOKEN = "TENANT_TOKEN";

	/** The portal's pages load only what Tollgate serves; no inline script. */
	static final String PORTAL_CSP = SecurityChains.PAGE_CSP;

	@Bean
	@Order(3)
	SecurityWebFilterChain tenantApiSecurity(ServerHttpSecurity http, TenantApiTokens tokens) {
		return SecurityChains.bearerTokenApi(http, "/api/tenant/**", tokenAuthentication(tokens))
			.authorizeExchange((rules) -> rules.pathMatchers(HttpMethod.GET, "/api/tenant/**")
				.hasAnyRole(OWNER, MEMBER, TOKEN)
				// notifications change only by the owner's hand or an owner's token
				.pathMatchers("/api/tenant/notifications/**")
				.hasAnyRole(OWNER, TOKEN)
				.anyExchange()
				.hasAnyRole(OWNER, MEMBER, TOKEN))
			.build();
	}

	@Bean
	@Order(4)
	SecurityWebFilterChain portalSecurity(ServerHttpSecurity http, TenantUsers users, PasswordEncoder passwords,
			AdminProperties properties, PortalMetrics metrics) {
		PortalLogin login = new PortalLogin(new LoginThrottle(properties.login()), users, passwords,
				properties.sessionTimeout(), metrics);
		WebSessionServerSecurityContextRepository contexts = new WebSessionServerSecurityContextRepository();
		contexts.setSpringSecurityContextAttrName(SESSION_ATTRIBUTE);
		SecurityContextServerLogoutHandler logout = new SecurityContextServerLogoutHandler();
		logout.setSecurityContextRepository(contexts);
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/portal", "/portal/**"))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.securityContextRepository(contexts)
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(PORTAL_CSP)))
			.formLogin((form) -> form.loginPage("/portal/login")
				.authenticationManager(login.authenticationManager())
				.securityContextRepository(contexts)
				.authenticationSuccessHandler(login::succeeded)
				.authenticationFailureHandler(login::failed))
			.logout((spec) -> spec.logoutUrl("/portal/logout")
				.logoutHandler(logout)
				.logoutSuccessHandler((exchange, authentication) -> PortalLogin.redirect(exchange.getExchange(),
						URI.create("/portal/login?logout"))))
			.addFilterBefore(login, SecurityWebFiltersOrder.FORM_LOGIN)
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new RedirectServerAuthenticationEntryPoint("/portal/login")))
			.authorizeExchange((rules) -> rules.pathMatchers("/portal/login", "/portal/welcome/**", "/portal/assets/**")
				.permitAll()
				.pathMatchers("/portal/users", "/portal/users/**", "/portal/tokens", "/portal/tokens/**")
				.hasRole(OWNER)
				.pathMatchers(HttpMethod.POST, "/portal/notifications/**")
				.hasRole(OWNER)
				.anyExchange()
				.hasAnyRole(OWNER, MEMBER))
			.build();
	}

	private static ReactiveAuthenticationManager tokenAuthentication(TenantApiTokens tokens) {
		return (authentication) -> tokens.authenticate((String) authentication.getCredentials())
			.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid tenant API token")))
			.map(PortalAuthentication::new);
	}

}
