package io.tollgate.admin.config;

import java.net.URI;
import java.time.Duration;

import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The console's login flow around Spring Security's form login: refuses attempts while
 * throttled (before the password is checked), counts failures, and on success starts the
 * session with the configured idle timeout and notes the login. When the operator
 * requires a second factor, a user without one is kept on the page that sets it up.
 */
class ConsoleLogin implements WebFilter {

	private final LoginThrottle throttle;

	private final ConsoleUsers users;

	/** The session attribute that keeps a user without a required second factor. */
	static final String ENROLMENT_REQUIRED = SecondFactorLogin.ENROLMENT_REQUIRED;

	private final Duration sessionTimeout;

	private final SecondFactors factors;

	private final boolean secondFactorRequired;

	ConsoleLogin(LoginThrottle throttle, ConsoleUsers users, Duration sessionTimeout, SecondFactors factors,
			boolean secondFactorRequired) {
		this.throttle = throttle;
		this.users = users;
		this.sessionTimeout = sessionTimeout;
		this.factors = factors;
		this.secondFactorRequired = secondFactorRequired;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (exchange.getRequest().getMethod() != HttpMethod.POST || !"/admin/login".equals(path)) {
			if (!this.secondFactorRequired || mayEnrol(path)) {
				return chain.filter(exchange);
			}
			return exchange.getSession()
				.flatMap((session) -> Boolean.TRUE.equals(session.getAttribute(ENROLMENT_REQUIRED))
						? redirect(exchange, URI.create("/admin/security?required")) : chain.filter(exchange));
		}
		return exchange.getFormData().flatMap((form) -> {
			if (this.throttle.blocked(form.getFirst("username"), exchange)) {
				return redirect(exchange, URI.create("/admin/login?locked"));
			}
			return chain.filter(exchange);
		});
	}

	Mono<Void> succeeded(WebFilterExchange exchange, Authentication authentication) {
		this.throttle.succeeded(authentication.getName());
		Mono<Boolean> enrol = this.secondFactorRequired ? this.users.find(authentication.getName())
			.flatMap((user) -> this.factors.enabled(SecondFactorSubject.console(user.id(), user.username())))
			.map((on) -> !on)
			.defaultIfEmpty(true) : Mono.just(false);
		return exchange.getExchange()
			.getSession()
			.doOnNext((session) -> session.setMaxIdleTime(this.sessionTimeout))
			.then(this.users.loggedIn(authentication.getName()))
			.then(Mono.zip(exchange.getExchange().getSession(), enrol))
			.flatMap((t) -> {
				if (t.getT2()) {
					t.getT1().getAttributes().put(ENROLMENT_REQUIRED, true);
					return redirect(exchange.getExchange(), URI.create("/admin/security?required"));
				}
				return redirect(exchange.getExchange(), URI.create("/admin"));
			});
	}

	private static boolean mayEnrol(String path) {
		return path.equals("/admin/security") || path.startsWith("/admin/security/") || path.equals("/admin/logout")
				|| path.startsWith("/admin/login") || path.startsWith("/admin/assets/");
	}

	Mono<Void> failed(WebFilterExchange exchange, AuthenticationException failure) {
		return exchange.getExchange().getFormData().flatMap((form) -> {
			this.throttle.failed(form.getFirst("username"), exchange.getExchange());
			return redirect(exchange.getExchange(), URI.create("/admin/login?error"));
		});
	}

	static Mono<Void> redirect(ServerWebExchange exchange, URI location) {
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(location);
		return exchange.getResponse().setComplete();
	}

}
