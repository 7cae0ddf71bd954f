package io.tollgate.admin.config;

import java.net.URI;
import java.time.Duration;

import io.tollgate.billing.admin.ConsoleUsers;
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
 * session with the configured idle timeout and notes the login.
 */
class ConsoleLogin implements WebFilter {

	private final LoginThrottle throttle;

	private final ConsoleUsers users;

	private final Duration sessionTimeout;

	ConsoleLogin(LoginThrottle throttle, ConsoleUsers users, Duration sessionTimeout) {
		this.throttle = throttle;
		this.users = users;
		this.sessionTimeout = sessionTimeout;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getMethod() != HttpMethod.POST
				|| !"/admin/login".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
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
		return exchange.getExchange()
			.getSession()
			.doOnNext((session) -> session.setMaxIdleTime(this.sessionTimeout))
			.then(this.users.loggedIn(authentication.getName()))
			.then(redirect(exchange.getExchange(), URI.create("/admin")));
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
