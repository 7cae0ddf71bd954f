package io.tollgate.routing.sse;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: its {@code event:} name and its single {@code data:} payload
 * (compact JSON for Anthropic events, anything for raw upstream events).
 *
 * @param event the event name, or {@code null} when the upstream sent a data-only event
 * @param data the payload, without the {@code data: } prefix or trailing newline
 */
public record SseEvent(String event, String data) {

	/**
	 * The event framed for the wire: {@code event:} line, one {@code data:} line, blank
	 * line.
	 */
	public byte[] toBytes() {
		String frame = (this.event != null) ? "event: " + this.event + "\ndata: " + this.data + "\n\n"
				: "data: " + this.data + "\n\n";
		return frame.getBytes(StandardCharsets.UTF_8);
	}

}
