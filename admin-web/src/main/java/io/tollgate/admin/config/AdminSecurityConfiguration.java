package io.tollgate.admin.config;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Security for the admin plane only. Two chains, each limited by its
 * {@code securityMatcher}: the admin API ({@code /api/admin/**}, bearer admin tokens, no
 * session, no CSRF) and the console ({@code /admin/**}, form login, session, CSRF). No
 * other path, the tenant hot path {@code /v1/**} in particular, passes through a security
 * filter. Roles: ADMIN may do everything; FINANCE may read everything but users and
 * tokens, post ledger entries, export and manage its own second factor. A user with a
 * TOTP second factor on logs in with password, then code ({@link SecondFactorLogin}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(AdminProperties.class)
public class AdminSecurityConfiguration {

	static final String ADMIN = "ADMIN";

	static final String FINANCE = "FINANCE";

	/** Everything the console loads comes from Tollgate itself; no inline script. */
	static final String CONSOLE_CSP = SecurityChains.PAGE_CSP;

	/** Tenant calls skip Spring Security altogether (see {@link HotPathBypass}). */
	@Bean
	static HotPathBypass.Installer hotPathBypass() {
		return new HotPathBypass.Installer();
	}

	@Bean
	PasswordEncoder adminPasswordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	/** Console users; defined even when the console is off so no default user appears. */
	@Bean
	ReactiveUserDetailsService consoleUserDetails(ConsoleUsers users) {
		return (username) -> users.find(username)
			.map((user) -> User.withUsername(user.username())
				.password(user.passwordHash())
				.roles(user.role())
				.disabled(!"active".equals(user.status()))
				.build());
	}

	@Bean
	@ConsoleEnabled
	LoginThrottle loginThrottle(AdminProperties properties) {
		return new LoginThrottle(properties.login());
	}

	@Bean
	@Order(1)
	@ConsoleEnabled
	SecurityWebFilterChain adminApiSecurity(ServerHttpSecurity http, AdminTokens tokens) {
		return SecurityChains.bearerTokenApi(http, "/api/admin/**", tokenAuthentication(tokens))
			.authorizeExchange((rules) -> rules.pathMatchers("/api/admin/tokens/**", "/api/admin/users/**")
				.hasRole(ADMIN)
				.pathMatchers(HttpMethod.GET, "/api/admin/**")
				.hasAnyRole(ADMIN, FINANCE)
				.pathMatchers(HttpMethod.POST, "/api/admin/tenants/*/ledger")
				.hasAnyRole(ADMIN, FINANCE)
				.anyExchange()
				.hasRole(ADMIN))
			.build();
	}

	@Bean
	@Order(2)
	@ConsoleEnabled
	SecurityWebFilterChain consoleSecurity(ServerHttpSecurity http, ReactiveUserDetailsService users,
			PasswordEncoder passwordEncoder, LoginThrottle throttle, ConsoleUsers consoleUsers,
			AdminProperties properties, SecondFactors factors, ObjectProvider<MeterRegistry> meters) {
		UserDetailsRepositoryReactiveAuthenticationManager manager = new UserDetailsRepositoryReactiveAuthenticationManager(
				users);
		manager.setPasswordEncoder(passwordEncoder);
		ConsoleLogin login = new ConsoleLogin(throttle, consoleUsers, properties.sessionTimeout(), factors,
				properties.totp().required());
		SecondFactorLogin codes = new SecondFactorLogin("console", "/admin/login", factors,
				(authentication) -> consoleUsers.find(authentication.getName())
					.map((user) -> SecondFactorSubject.console(user.id(), user.username())),
				throttle, new WebSessionServerSecurityContextRepository(), login::succeeded,
				properties.totp().codeTimeout(), meters.getIfAvailable(SimpleMeterRegistry::new), Clock.systemUTC());
		ServerSecurityContextRepository contexts = codes.repository();
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin", "/admin/**"))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.securityContextRepository(contexts)
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONSOLE_CSP)))
			.formLogin((form) -> form.loginPage("/admin/login")
				.authenticationManager(codes.passwordThen(manager))
				.securityContextRepository(contexts)
				.authenticationSuccessHandler(codes.afterPassword())
				.authenticationFailureHandler(login::failed))
			.logout((logout) -> logout.logoutUrl("/admin/logout")
				.logoutSuccessHandler((exchange, authentication) -> ConsoleLogin.redirect(exchange.getExchange(),
						URI.create("/admin/login?logout"))))
			.addFilterBefore(login, SecurityWebFiltersOrder.FORM_LOGIN)
			.addFilterBefore(codes, SecurityWebFiltersOrder.FORM_LOGIN)
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new RedirectServerAuthenticationEntryPoint("/admin/login")))
			.authorizeExchange((rules) -> rules.pathMatchers("/admin/login", "/admin/login/code", "/admin/assets/**")
				.permitAll()
				.pathMatchers(HttpMethod.POST, "/admin/security/**")
				.hasAnyRole(ADMIN, FINANCE)
				.pathMatchers("/admin/tokens/**", "/admin/users/**")
				.hasRole(ADMIN)
				.pathMatchers(HttpMethod.GET, "/admin", "/admin/**")
				.hasAnyRole(ADMIN, FINANCE)
				.pathMatchers(HttpMethod.POST, "/admin/tenants/*/ledger")
				.hasAnyRole(ADMIN, FINANCE)
				.anyExchange()
				.hasRole(ADMIN))
			.build();
	}

	/** With the admin plane off, its paths answer 404 and nothing else is secured. */
	@Bean
	@Order(1)
	@ConditionalOnProperty(name = "tollgate.admin.enabled", havingValue = "false")
	SecurityWebFilterChain adminDisabled(ServerHttpSecurity http) {
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin", "/admin/**", "/api/admin/**"))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new HttpStatusServerEntryPoint(HttpStatus.NOT_FOUND))
				.accessDeniedHandler((exchange, denied) -> {
					exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
					return exchange.getResponse().setComplete();
				}))
			.authorizeExchange((rules) -> rules.anyExchange().denyAll())
			.build();
	}

	private static ReactiveAuthenticationManager tokenAuthentication(AdminTokens tokens) {
		return (authentication) -> tokens.authenticate((String) authentication.getCredentials())
			.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid admin token")))
			.map((token) -> UsernamePasswordAuthenticationToken.authenticated("token:" + token.name(), null,
					List.of(new SimpleGrantedAuthority("ROLE_" + token.role()))));
	}

}
