package io.tollgate.gateway.forward;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamHeadersTests {

	@ParameterizedTest
	@ValueSource(strings = { "anthropic-version", "anthropic-beta", "Anthropic-Dangerous-Direct-Browser-Access",
			"x-app", "x-claude-code-session-id", "X-Stainless-Lang", "x-stainless-retry-count", "user-agent" })
	void forwardsWhatTheAllowRuleNames(String name) {
		assertThat(UpstreamHeaders.forwarded(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "x-api-key", "authorization", "cookie", "proxy-authorization", "proxy-connection",
			"connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
			"content-type", "x-forwarded-for", "forwarded", "x-anything-else", "anthropic-organization-id" })
	void neverForwardsCredentialsHopByHopOrUnnamedHeaders(String name) {
		assertThat(UpstreamHeaders.forwarded(name)).isFalse();
	}

	@Test
	void joinsRepeatedBetasAndKeepsOneVersion() {
		HttpHeaders client = new HttpHeaders();
		client.add("anthropic-beta", "a-1");
		client.add("anthropic-beta", "b-2");
		client.add("anthropic-version", "2023-06-01");
		client.add("anthropic-version", "2023-06-01");
		DefaultHttpHeaders upstream = new DefaultHttpHeaders();
		UpstreamHeaders.copyRequestHeaders(client, upstream, "2023-06-01");
		assertThat(upstream.getAll("anthropic-beta")).containsExactly("a-1,b-2");
		assertThat(upstream.getAll("anthropic-version")).containsExactly("2023-06-01");
	}

	@Test
	void defaultsTheVersion() {
		DefaultHttpHeaders upstream = new DefaultHttpHeaders();
		UpstreamHeaders.copyRequestHeaders(new HttpHeaders(), upstream, "2023-06-01");
		assertThat(upstream.get("anthropic-version")).isEqualTo("2023-06-01");
	}

	@Test
	void returnsRateLimitAndRetryHeadersOnly() {
		DefaultHttpHeaders upstream = new DefaultHttpHeaders();
		upstream.add("Anthropic-RateLimit-Tokens-Remaining", "10");
		upstream.add("retry-after", "3");
		upstream.add("x-should-retry", "true");
		upstream.add("request-id", "req_upstream");
		upstream.add("set-cookie", "x=y");
		upstream.add("server", "envoy");
		HttpHeaders returned = UpstreamHeaders.returnedHeaders(upstream);
		assertThat(returned.headerNames()).containsExactlyInAnyOrder("anthropic-ratelimit-tokens-remaining",
				"retry-after", "x-should-retry");
	}

	@Test
	void readsTheUpstreamRequestIdPrintableAndBounded() {
		DefaultHttpHeaders anthropic = new DefaultHttpHeaders();
		anthropic.add("request-id", "req_011CU");
		assertThat(UpstreamHeaders.requestId(anthropic)).isEqualTo("req_011CU");
		DefaultHttpHeaders openai = new DefaultHttpHeaders();
		openai.add("x-request-id", "chatcmpl-" + "x".repeat(300));
		assertThat(UpstreamHeaders.requestId(openai)).hasSize(128).startsWith("chatcmpl-");
		assertThat(UpstreamHeaders.requestId(new DefaultHttpHeaders())).isNull();
	}

}
