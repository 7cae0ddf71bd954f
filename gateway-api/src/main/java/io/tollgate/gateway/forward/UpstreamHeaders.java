package io.tollgate.gateway.forward;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * Which headers cross Tollgate between a client and an Anthropic upstream: an explicit
 * allow rule, so that a header nobody decided on never travels.
 * <p>
 * <b>Client to upstream:</b> {@code anthropic-version}, {@code anthropic-beta},
 * {@code anthropic-dangerous-direct-browser-access}, {@code x-stainless-*} (the SDKs'
 * description of themselves), {@code x-app}, {@code x-claude-code-session-id} and
 * {@code user-agent}. Other {@code anthropic-*} headers are not forwarded: one could name
 * an organisation or workspace of the operator's account. Everything else stays behind,
 * in particular the tenant's credentials ({@code x-api-key}, {@code authorization},
 * {@code cookie}), hop-by-hop headers ({@code connection}, {@code te}, {@code upgrade},
 * {@code proxy-*}, {@code keep-alive}, {@code transfer-encoding}), {@code host} and
 * {@code content-length}, which the upstream client sets itself.
 * <p>
 * <b>Upstream to client:</b> {@code anthropic-ratelimit-*} (the account's limits, passed
 * on as they are), {@code retry-after}, {@code retry-after-ms} and
 * {@code x-should-retry}. The upstream's {@code request-id} is not passed on: the client
 * sees Tollgate's, and the upstream's is recorded with the usage.
 */
final class UpstreamHeaders {

	private static final Set<String> REQUEST_NAMES = Set.of("anthropic-version", "anthropic-beta",
			"anthropic-dangerous-direct-browser-access", "x-app", "x-claude-code-session-id", "user-agent");

	private static final List<String> REQUEST_PREFIXES = List.of("x-stainless-");

	private static final Set<String> RESPONSE_NAMES = Set.of("retry-after", "retry-after-ms", "x-should-retry");

	private static final String RATE_LIMIT_PREFIX = "anthropic-ratelimit-";

	/** Longest upstream request id kept: the usage column's width. */
	private static final int MAX_REQUEST_ID = 128;

	private UpstreamHeaders() {
	}

	/**
	 * Whether a client header is forwarded to an Anthropic upstream.
	 * @param name the header name, any case
	 * @return true when the allow rule names it
	 */
	static boolean forwarded(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (REQUEST_NAMES.contains(lower)) {
			return true;
		}
		for (String prefix : REQUEST_PREFIXES) {
			if (lower.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Copies the client's allowed headers onto an upstream request: each value of a
	 * repeated header, {@code anthropic-beta} joined into one list, and
	 * {@code anthropic-version} defaulted when the client sent none.
	 * @param client the client's headers
	 * @param upstream the upstream request's headers
	 * @param defaultVersion the {@code anthropic-version} to send when the client sent
	 * none
	 */
	static void copyRequestHeaders(HttpHeaders client, io.netty.handler.codec.http.HttpHeaders upstream,
			String defaultVersion) {
		// by name, and the values only of the headers forwarded: the entry set builds a
		// list of values for every header, the key and the body's headers included
		for (String header : client.headerNames()) {
			String name = header.toLowerCase(Locale.ROOT);
			if (!forwarded(name)) {
				continue;
			}
			List<String> values = client.get(header);
			if (values == null || values.isEmpty()) {
				continue;
			}
			switch (name) {
				case "anthropic-beta" -> upstream.set(name, String.join(",", values));
				// one value: a duplicated version is rejected upstream (C6)
				case "anthropic-version" -> upstream.set(name, values.get(0));
				default -> upstream.set(name, values);
			}
		}
		if (!upstream.contains("anthropic-version")) {
			upstream.set("anthropic-version", defaultVersion);
		}
	}

	/**
	 * Whether an upstream response header is passed on to the client.
	 * @param name the header name, any case
	 * @return true for rate-limit and retry advice
	 */
	static boolean returned(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return RESPONSE_NAMES.contains(lower) || lower.startsWith(RATE_LIMIT_PREFIX);
	}

	/**
	 * The upstream response headers to pass on to the client.
	 * @param upstream the upstream response's headers
	 * @return the headers, names in lower case; empty when there are none
	 */
	static HttpHeaders returnedHeaders(io.netty.handler.codec.http.HttpHeaders upstream) {
		HttpHeaders returned = null;
		for (Map.Entry<String, String> header : upstream) {
			if (returned(header.getKey())) {
				if (returned == null) {
					returned = new HttpHeaders();
				}
				returned.add(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
			}
		}
		return (returned != null) ? returned : HttpHeaders.EMPTY;
	}

	/**
	 * The id the upstream gave a request: {@code request-id} (Anthropic), else
	 * {@code x-request-id} (most OpenAI-compatible servers), printable ASCII, cut to what
	 * the usage record keeps.
	 * @param upstream the upstream response's headers
	 * @return the id, or {@code null} when there is none
	 */
	static String requestId(io.netty.handler.codec.http.HttpHeaders upstream) {
		String id = upstream.get("request-id");
		if (id == null) {
			id = upstream.get("x-request-id");
		}
		if (id == null || id.isEmpty()) {
			return null;
		}
		StringBuilder clean = new StringBuilder(Math.min(id.length(), MAX_REQUEST_ID));
		for (int i = 0; i < id.length() && clean.length() < MAX_REQUEST_ID; i++) {
			char c = id.charAt(i);
			if (c > 0x20 && c < 0x7f) {
				clean.append(c);
			}
		}
		return (clean.length() > 0) ? clean.toString() : null;
	}

}
