package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One request as the fake received it, for assertions.
 *
 * @param method the HTTP method
 * @param uri the path with its query string, as sent
 * @param headers every header, names lower-cased, values in arrival order
 * @param body the raw body bytes
 * @param credential the {@code x-api-key} value, else the {@code Authorization: Bearer}
 * token, else {@code null}
 * @param auth which header carried the credential
 */
public record RecordedRequest(String method, String uri, Map<String, List<String>> headers, byte[] body,
		String credential, Auth auth) {

	/** Which header carried the credential. */
	public enum Auth {

		/** {@code x-api-key}. */
		API_KEY,
		/** {@code Authorization: Bearer}. */
		BEARER,
		/** No credential. */
		NONE

	}

	/** The path without the query string. */
	public String path() {
		int query = this.uri.indexOf('?');
		return (query < 0) ? this.uri : this.uri.substring(0, query);
	}

	/** The query string without {@code ?}, or {@code null}. */
	public String query() {
		int query = this.uri.indexOf('?');
		return (query < 0) ? null : this.uri.substring(query + 1);
	}

	/** The first value of a header (any case), or {@code null}. */
	public String header(String name) {
		List<String> values = headerValues(name);
		return values.isEmpty() ? null : values.get(0);
	}

	/** Every value of a header (any case); a repeated header gives several. */
	public List<String> headerValues(String name) {
		return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	/** The body as UTF-8 text. */
	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/** The body parsed as JSON. */
	public JsonNode json() {
		return Protocol.JSON.readTree(this.body);
	}

	@Override
	public String toString() {
		return this.method + " " + this.uri + " (" + this.auth + " " + this.credential + ", " + this.body.length
				+ " bytes)";
	}

}
