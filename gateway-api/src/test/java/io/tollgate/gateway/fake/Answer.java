package io.tollgate.gateway.fake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A complete answer to one request, before timing and failure modes are applied: a
 * status, headers, and either a body or a list of SSE frames.
 *
 * @param status the HTTP status
 * @param headers the response headers, in order
 * @param body the body of a plain answer, or {@code null} for a stream
 * @param events the SSE frames of a stream (each a complete frame with its blank line),
 * or {@code null}
 */
record Answer(int status, Map<String, String> headers, byte[] body, List<byte[]> events) {

	static final String JSON = "application/json";

	static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

	boolean streaming() {
		return this.events != null;
	}

	static Answer json(int status, Incoming request, byte[] body) {
		return new Answer(status, headers(request, JSON), body, null);
	}

	static Answer stream(Incoming request, List<byte[]> events) {
		Map<String, String> headers = headers(request, EVENT_STREAM);
		headers.put("cache-control", "no-cache");
		return new Answer(200, headers, null, events);
	}

	static Answer error(int status, Incoming request, String type, String message) {
		Map<String, String> headers = headers(request, JSON);
		if (status < 500 && status != 429 && status != 408 && status != 409) {
			headers.put("x-should-retry", "false");
		}
		return new Answer(status, headers, request.protocol().errorBody(type, message, request.requestId()), null);
	}

	/**
	 * A copy of this answer with extra headers (added last, replacing same-named ones).
	 */
	Answer withHeaders(Map<String, String> extra) {
		Map<String, String> merged = new LinkedHashMap<>(this.headers);
		extra.forEach((name, value) -> merged.put(name.toLowerCase(Locale.ROOT), value));
		return new Answer(this.status, merged, this.body, this.events);
	}

	/** A copy of this stream with other frames (or pieces of frames) to write. */
	Answer withEvents(List<byte[]> events) {
		return new Answer(this.status, this.headers, this.body, events);
	}

	private static Map<String, String> headers(Incoming request, String contentType) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", contentType);
		headers.put(request.protocol().requestIdHeader(), request.requestId());
		return headers;
	}

}
