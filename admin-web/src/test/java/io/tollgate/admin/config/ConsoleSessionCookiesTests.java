package io.tollgate.admin.config;

import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class ConsoleSessionCookiesTests {

	private final ConsoleSessionCookies cookies = new ConsoleSessionCookies();

	private ResponseCookie issued(MockServerHttpRequest request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		this.cookies.setSessionId(exchange, "session-id");
		return exchange.getResponse().getCookies().getFirst("SESSION");
	}

	@Test
	void plainHttpGetsSameSiteLaxAndHttpOnlyButNotSecure() {
		ResponseCookie cookie = issued(MockServerHttpRequest.get("http://console.example/admin/login").build());
		assertThat(cookie.getValue()).isEqualTo("session-id");
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.isSecure()).isFalse();
	}

	@Test
	void anHttpsSchemeMakesItSecure() {
		ResponseCookie cookie = issued(MockServerHttpRequest.get("https://console.example/admin/login").build());
		assertThat(cookie.isSecure()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
	}

	@Test
	void aTlsConnectionMakesItSecure() {
		ResponseCookie cookie = issued(
				MockServerHttpRequest.get("http://console.example/admin/login").sslInfo(mock(SslInfo.class)).build());
		assertThat(cookie.isSecure()).isTrue();
	}

	@Test
	void anUntrustedForwardedProtoAloneDoesNotChangeIt() {
		ResponseCookie cookie = issued(MockServerHttpRequest.get("http://console.example/admin/login")
			.header("X-Forwarded-Proto", "https")
			.build());
		assertThat(cookie.isSecure()).isFalse();
	}

	@Test
	void theExpiringCookieIsHardenedToo() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://console.example/admin/logout").build());
		this.cookies.expireSession(exchange);
		ResponseCookie cookie = exchange.getResponse().getCookies().getFirst("SESSION");
		assertThat(cookie.getMaxAge()).isZero();
		assertThat(cookie.isSecure()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
	}

}
