package io.tollgate.admin.config;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.secondfactor.SecondFactorCheck;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;

/**
 * The code step of a login, shared by the console and the portal. When the password is
 * right and the user has a TOTP second factor on, nothing authenticated is stored: the
 * session only notes, for a few minutes, whose password was right, and the browser is
 * sent to the code page. Only a current code (or an unused recovery code) there stores
 * the login, under a new session id. Wrong and replayed codes count as failed logins in
 * the login throttle. Meter {@code tollgate.login.second_factor} by {@code realm} and
 * {@code result} ({@code code}, {@code recovery}, {@code wrong}, {@code replayed},
 * {@code expired}, {@code locked}); the log names the realm, the user and the result,
 * never a code.
 */
public final class SecondFactorLogin implements WebFilter {

	/**
	 * The console session attribute that keeps a user without the second factor the
	 * operator requires on the page that sets it up.
	 */
	public static final String ENROLMENT_REQUIRED = "TOLLGATE_CONSOLE_TOTP_REQUIRED";

	private static final Logger logger = LoggerFactory.getLogger(SecondFactorLogin.class);

	private final String realm;

	private final String loginPath;

	private final String codePath;

	private final String attribute;

	private final SecondFactors factors;

	private final Function<Authentication, Mono<SecondFactorSubject>> subjects;

	private final LoginThrottle throttle;

	private final ServerSecurityContextRepository contexts;

	private final ServerAuthenticationSuccessHandler completed;

	private final Duration timeout;

	private final MeterRegistry meters;

	private final Clock clock;

	/**
	 * @param realm {@code console} or {@code portal}
	 * @param loginPath the password form, e.g. {@code /admin/login}
	 * @param factors the second factors
	 * @param subjects whose second factor an authentication needs
	 * @param throttle the realm's login throttle
	 * @param contexts where the realm keeps logins
	 * @param completed what ends a full login (session timeout, redirect)
	 * @param timeout how long the code step waits
	 * @param meters the meter registry
	 */
	public SecondFactorLogin(String realm, String loginPath, SecondFactors factors,
			Function<Authentication, Mono<SecondFactorSubject>> subjects, LoginThrottle throttle,
			ServerSecurityContextRepository contexts, ServerAuthenticationSuccessHandler completed, Duration timeout,
			MeterRegistry meters, Clock clock) {
		this.realm = realm;
		this.loginPath = loginPath;
		this.codePath = loginPath + "/code";
		this.attribute = "TOLLGATE_" + realm.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD_VERIFIED";
		this.factors = factors;
		this.subjects = subjects;
		this.throttle = throttle;
		this.contexts = contexts;
		this.completed = completed;
		this.timeout = timeout;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * The password check, then: an authentication that grants nothing and only marks the
	 * password as right when the user has a second factor on.
	 */
	public ReactiveAuthenticationManager passwordThen(ReactiveAuthenticationManager password) {
		return (attempt) -> password.authenticate(attempt)
			.flatMap((verified) -> this.subjects.apply(verified)
				.flatMap((subject) -> this.factors.enabled(subject)
					.map((on) -> on ? new PasswordVerified(verified, subject) : verified))
				.defaultIfEmpty(verified));
	}

	/**
	 * The realm's repository, which never stores a password-only login: it notes it
	 * instead, with its expiry.
	 */
	public ServerSecurityContextRepository repository() {
		return new ServerSecurityContextRepository() {
			@Override
			public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
				if (context != null && context.getAuthentication() instanceof PasswordVerified verified) {
					Pending pending = new Pending(verified.verified, verified.subject,
							SecondFactorLogin.this.clock.instant().plus(SecondFactorLogin.this.timeout));
					return SecondFactorLogin.this.contexts.save(exchange, null)
						.then(exchange.getSession())
						.doOnNext((session) -> session.getAttributes().put(SecondFactorLogin.this.attribute, pending))
						.then();
				}
				return SecondFactorLogin.this.contexts.save(exchange, context);
			}

			@Override
			public Mono<SecurityContext> load(ServerWebExchange exchange) {
				return SecondFactorLogin.this.contexts.load(exchange);
			}
		};
	}

	/** After the password: the code page when a code is due, else a completed login. */
	public ServerAuthenticationSuccessHandler afterPassword() {
		return (exchange, authentication) -> (authentication instanceof PasswordVerified)
				? redirect(exchange.getExchange(), this.codePath)
				: this.completed.onAuthenticationSuccess(exchange, authentication);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getMethod() != HttpMethod.POST
				|| !this.codePath.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		return exchange.getSession().flatMap((session) -> {
			Pending pending = session.getAttribute(this.attribute);
			if (pending == null || !this.clock.instant().isBefore(pending.expiresAt())) {
				session.getAttributes().remove(this.attribute);
				count("expired", null);
				return redirect(exchange, this.loginPath + "?expired");
			}
			String account = pending.subject().account();
			if (this.throttle.blocked(account, exchange)) {
				session.getAttributes().remove(this.attribute);
				count("locked", account);
				return redirect(exchange, this.loginPath + "?locked");
			}
			return exchange.getFormData()
				.flatMap((form) -> this.factors.check(pending.subject(), form.getFirst("code"),
						pending.authentication().getName()))
				.flatMap((check) -> outcome(check, pending, session, exchange, chain));
		});
	}

	private Mono<Void> outcome(SecondFactorCheck check, Pending pending, WebSession session, ServerWebExchange exchange,
			WebFilterChain chain) {
		String account = pending.subject().account();
		count(check.value(), account);
		if (!check.accepted()) {
			this.throttle.failed(account, exchange);
			return redirect(exchange, this.codePath + "?error");
		}
		session.getAttributes().remove(this.attribute);
		Authentication authentication = pending.authentication();
		return this.contexts.save(exchange, new SecurityContextImpl(authentication))
			.then(this.completed.onAuthenticationSuccess(new WebFilterExchange(exchange, chain), authentication));
	}

	/** Whether this session is between the password and the code. */
	public boolean awaitingCode(WebSession session) {
		Pending pending = session.getAttribute(this.attribute);
		return pending != null && this.clock.instant().isBefore(pending.expiresAt());
	}

	private void count(String result, String account) {
		this.meters.counter("tollgate.login.second_factor", "realm", this.realm, "result", result).increment();
		if (account != null) {
			logger.info("Login second factor: realm={} user={} result={}", this.realm, account, result);
		}
		else {
			logger.info("Login second factor: realm={} result={}", this.realm, result);
		}
	}

	static Mono<Void> redirect(ServerWebExchange exchange, String location) {
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(URI.create(location));
		return exchange.getResponse().setComplete();
	}

	/** Whose password was right, until when. */
	private record Pending(Authentication authentication, SecondFactorSubject subject, Instant expiresAt) {
	}

	/**
	 * A right password for a user whose login needs a code as well: no authorities, not
	 * authenticated, never stored as a login.
	 */
	static final class PasswordVerified extends AbstractAuthenticationToken {

		private final transient Authentication verified;

		private final transient SecondFactorSubject subject;

		PasswordVerified(Authentication verified, SecondFactorSubject subject) {
			super(List.of());
			this.verified = verified;
			this.subject = subject;
			setAuthenticated(false);
		}

		@Override
		public Object getCredentials() {
			return null;
		}

		@Override
		public Object getPrincipal() {
			return this.subject.account();
		}

	}

}
