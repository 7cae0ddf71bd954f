package io.tollgate.routing.sse;

import java.nio.charset.StandardCharsets;

/**
 * One complete server-sent event as it arrived: the original bytes and the parsed fields.
 *
 * @param raw the event's bytes, including its terminating blank line
 * @param event the {@code event:} name, or {@code null}
 * @param data the {@code data:} lines joined with {@code \n}, or {@code null} when there
 * were none
 */
public record SseFrame(byte[] raw, String event, String data) {

	/** Parses one event; comment-only or empty events give {@code null}. */
	static SseFrame parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.UTF_8);
		String event = null;
		StringBuilder data = null;
		int pos = 0;
		int length = text.length();
		while (pos < length) {
			int end = pos;
			while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
				end++;
			}
			String line = text.substring(pos, end);
			if (end < length && text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n') {
				end++;
			}
			pos = end + 1;
			if (line.isEmpty() || line.charAt(0) == ':') {
				continue;
			}
			int colon = line.indexOf(':');
			String field = (colon < 0) ? line : line.substring(0, colon);
			String value = (colon < 0) ? "" : line.substring(colon + 1);
			if (!value.isEmpty() && value.charAt(0) == ' ') {
				value = value.substring(1);
			}
			if (field.equals("event")) {
				event = value;
			}
			else if (field.equals("data")) {
				if (data == null) {
					data = new StringBuilder(value);
				}
				else {
					data.append('\n').append(value);
				}
			}
		}
		if (event == null && data == null) {
			return null;
		}
		return new SseFrame(raw, event, (data != null) ? data.toString() : null);
	}

}
