package io.tollgate.admin.config;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.web.server.ServerWebExchange;

/**
 * Counts failed console logins per username and per client address within a window, and
 * refuses further attempts once either count reaches its limit. A successful login clears
 * the username's count.
 */
public class LoginThrottle {

	private final Cache<String, AtomicInteger> failures;

	private final AdminProperties.Login settings;

	public LoginThrottle(AdminProperties.Login settings) {
		this.settings = settings;
		this.failures = Caffeine.newBuilder().expireAfterWrite(settings.window()).maximumSize(100_000).build();
	}

	/**
	 * Whether a login attempt for this username from this exchange's address is refused.
	 */
	public boolean blocked(String username, ServerWebExchange exchange) {
		return count(userKey(username)) >= this.settings.maxFailuresPerUser()
				|| count(addressKey(exchange)) >= this.settings.maxFailuresPerAddress();
	}

	/** Notes a failed attempt. */
	public void failed(String username, ServerWebExchange exchange) {
		increment(userKey(username));
		increment(addressKey(exchange));
	}

	/** Notes a successful login. */
	public void succeeded(String username) {
		this.failures.invalidate(userKey(username));
	}

	private int count(String key) {
		AtomicInteger count = this.failures.getIfPresent(key);
		return (count != null) ? count.get() : 0;
	}

	private void increment(String key) {
		this.failures.asMap().compute(key, (k, count) -> {
			AtomicInteger next = (count != null) ? count : new AtomicInteger();
			next.incrementAndGet();
			return next;
		});
	}

	private static String userKey(String username) {
		return "user:" + ((username != null) ? username.trim().toLowerCase(Locale.ROOT) : "");
	}

	private static String addressKey(ServerWebExchange exchange) {
		InetSocketAddress address = exchange.getRequest().getRemoteAddress();
		return "addr:" + ((address != null && address.getAddress() != null) ? address.getAddress().getHostAddress()
				: "unknown");
	}

}
