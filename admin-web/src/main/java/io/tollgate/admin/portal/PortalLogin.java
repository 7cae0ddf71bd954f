package io.tollgate.admin.portal;

import java.net.URI;
import java.time.Duration;

import io.tollgate.admin.config.LoginThrottle;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The portal's login, as the console's: refuses attempts while throttled (before the
 * password is checked), checks the password off the event loop, counts failures, and on
 * success starts the session with the console's idle timeout.
 */
final class PortalLogin implements WebFilter {

	private final LoginThrottle throttle;

	private final TenantUsers users;

	private final PasswordEncoder passwords;

	private final Duration sessionTimeout;

	private final PortalMetrics metrics;

	/** Compared against when the login is unknown, so that both cases take as long. */
	private final String dummyHash;

	PortalLogin(LoginThrottle throttle, TenantUsers users, PasswordEncoder passwords, Duration sessionTimeout,
			PortalMetrics metrics) {
		this.metrics = metrics;
		this.throttle = throttle;
		this.users = users;
		this.passwords = passwords;
		this.sessionTimeout = sessionTimeout;
		this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getMethod() != HttpMethod.POST
				|| !"/portal/login".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		return exchange.getFormData().flatMap((form) -> {
			if (this.throttle.blocked(form.getFirst("username"), exchange)) {
				this.metrics.login("locked");
				return redirect(exchange, URI.create("/portal/login?locked"));
			}
			return chain.filter(exchange);
		});
	}

	/** Checks a login and password against the tenant users. */
	ReactiveAuthenticationManager authenticationManager() {
		return (authentication) -> {
			String password = String.valueOf(authentication.getCredentials());
			return this.users.credentials(authentication.getName())
				.filter((found) -> found.passwordHash() != null && "active".equals(found.user().status()))
				.flatMap((found) -> matches(password, found.passwordHash())
					.flatMap((ok) -> ok ? Mono.just(found.user().principal()) : Mono.empty()))
				.switchIfEmpty(Mono.defer(() -> matches(password, this.dummyHash).then(Mono.empty())))
				.<Authentication>map(PortalAuthentication::new)
				.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Wrong login or password")));
		};
	}

	Mono<Void> succeeded(WebFilterExchange exchange, Authentication authentication) {
		TenantPrincipal principal = (TenantPrincipal) authentication.getPrincipal();
		this.throttle.succeeded(principal.name());
		this.metrics.login("success");
		return exchange.getExchange()
			.getSession()
			.doOnNext((session) -> session.setMaxIdleTime(this.sessionTimeout))
			.then(this.users.loggedIn(principal.userId()))
			.then(redirect(exchange.getExchange(), URI.create("/portal")));
	}

	Mono<Void> failed(WebFilterExchange exchange, AuthenticationException failure) {
		return exchange.getExchange().getFormData().flatMap((form) -> {
			this.throttle.failed(form.getFirst("username"), exchange.getExchange());
			this.metrics.login("failure");
			return redirect(exchange.getExchange(), URI.create("/portal/login?error"));
		});
	}

	private Mono<Boolean> matches(String password, String hash) {
		return Mono.fromCallable(() -> this.passwords.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
	}

	static Mono<Void> redirect(ServerWebExchange exchange, URI location) {
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(location);
		return exchange.getResponse().setComplete();
	}

}
