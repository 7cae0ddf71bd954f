package io.tollgate.admin.portal;

import java.net.URI;
import java.time.Clock;

import io.tollgate.admin.config.AdminProperties;
import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.config.LoginThrottle;
import io.tollgate.admin.config.SecondFactorLogin;
import io.tollgate.admin.config.SecurityChains;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.tenantuser.TenantApiTokens;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.core.Authentication;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Security for the tenant side, separate from the admin plane's: the tenant API
 * ({@code /api/tenant/**}, bearer tenant API tokens, no session, no CSRF; inference keys
 * and admin tokens get 401) and the portal ({@code /portal/**}, form login, CSRF, the
 * console's throttling and idle timeout). The portal keeps its login under its own
 * session attribute, so a portal login never counts as a console login or the reverse.
 * Only a tenant's owner manages its users and API tokens, and changes its notifications
 * (members read them). A user with a TOTP second factor on logs in with password, then
 * code ({@link SecondFactorLogin}).
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
			AdminProperties properties, PortalMetrics metrics, SecondFactors factors) {
		LoginThrottle throttle = new LoginThrottle(properties.login());
		PortalLogin login = new PortalLogin(throttle, users, passwords, properties.sessionTimeout(), metrics);
		WebSessionServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();
		sessions.setSpringSecurityContextAttrName(SESSION_ATTRIBUTE);
		SecondFactorLogin codes = new SecondFactorLogin("portal", "/portal/login", factors,
				(authentication) -> Mono.justOrEmpty(subject(authentication)), throttle, sessions, login::succeeded,
				properties.totp().codeTimeout(), metrics.registry(), Clock.systemUTC());
		ServerSecurityContextRepository contexts = codes.repository();
		SecurityContextServerLogoutHandler logout = new SecurityContextServerLogoutHandler();
		logout.setSecurityContextRepository(sessions);
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/portal", "/portal/**"))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.securityContextRepository(contexts)
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(PORTAL_CSP)))
			.formLogin((form) -> form.loginPage("/portal/login")
				.authenticationManager(codes.passwordThen(login.authenticationManager()))
				.securityContextRepository(contexts)
				.authenticationSuccessHandler(codes.afterPassword())
				.authenticationFailureHandler(login::failed))
			.logout((spec) -> spec.logoutUrl("/portal/logout")
				.logoutHandler(logout)
				.logoutSuccessHandler((exchange, authentication) -> PortalLogin.redirect(exchange.getExchange(),
						URI.create("/portal/login?logout"))))
			.addFilterBefore(login, SecurityWebFiltersOrder.FORM_LOGIN)
			.addFilterBefore(codes, SecurityWebFiltersOrder.FORM_LOGIN)
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new RedirectServerAuthenticationEntryPoint("/portal/login")))
			.authorizeExchange((rules) -> rules
				.pathMatchers("/portal/login", "/portal/login/code", "/portal/welcome/**", "/portal/assets/**")
				.permitAll()
				.pathMatchers("/portal/users", "/portal/users/**", "/portal/tokens", "/portal/tokens/**")
				.hasRole(OWNER)
				.pathMatchers(HttpMethod.POST, "/portal/notifications/**")
				.hasRole(OWNER)
				.anyExchange()
				.hasAnyRole(OWNER, MEMBER))
			.build();
	}

	/** The tenant user a portal login is for. */
	static SecondFactorSubject subject(Authentication authentication) {
		return (authentication.getPrincipal() instanceof TenantPrincipal tenant && tenant.userId() != null)
				? SecondFactorSubject.tenant(tenant.userId(), tenant.name()) : null;
	}

	private static ReactiveAuthenticationManager tokenAuthentication(TenantApiTokens tokens) {
		return (authentication) -> tokens.authenticate((String) authentication.getCredentials())
			.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid tenant API token")))
			.map(PortalAuthentication::new);
	}

}
