package io.tollgate.routing.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One complete server-sent event as it arrived: the original bytes and the parsed fields.
 * <p>
 * Framing reads only the {@code event:} name from the bytes; the {@code data:} payload is
 * decoded the first time it is asked for, since a relay needs it for few events.
 */
public final class SseFrame {

	private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

	private final byte[] raw;

	private final String event;

	private String data;

	private boolean dataDecoded;

	/**
	 * A frame.
	 * @param raw the event's bytes, including its terminating blank line
	 * @param event the {@code event:} name, or {@code null}
	 * @param data the {@code data:} lines joined with {@code \n}, or {@code null} when
	 * there were none
	 */
	public SseFrame(byte[] raw, String event, String data) {
		this.raw = raw;
		this.event = event;
		this.data = data;
		this.dataDecoded = true;
	}

	private SseFrame(byte[] raw, String event) {
		this.raw = raw;
		this.event = event;
	}

	/** The event's bytes, including its terminating blank line. */
	public byte[] raw() {
		return this.raw;
	}

	/** The {@code event:} name, or {@code null}. */
	public String event() {
		return this.event;
	}

	/**
	 * The {@code data:} lines joined with {@code \n}, or {@code null} when there were
	 * none.
	 */
	public String data() {
		if (!this.dataDecoded) {
			byte[] bytes = joinData(this.raw);
			this.data = (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : null;
			this.dataDecoded = true;
		}
		return this.data;
	}

	/**
	 * The {@code data:} lines joined with {@code \n}, in UTF-8, without decoding them to
	 * a string: for a reader that parses the JSON from bytes anyway.
	 * @return the data's bytes, or {@code null} when there were none
	 */
	public byte[] dataBytes() {
		if (this.dataDecoded) {
			return (this.data != null) ? this.data.getBytes(StandardCharsets.UTF_8) : null;
		}
		return joinData(this.raw);
	}

	/** Parses one event; comment-only or empty events give {@code null}. */
	static SseFrame parse(byte[] raw) {
		String event = null;
		boolean hasData = false;
		int pos = 0;
		int length = raw.length;
		while (pos < length) {
			int end = pos;
			while (end < length && raw[end] != '\n' && raw[end] != '\r') {
				end++;
			}
			int lineEnd = end;
			if (end < length && raw[end] == '\r' && end + 1 < length && raw[end + 1] == '\n') {
				end++;
			}
			int lineStart = pos;
			pos = end + 1;
			if (lineEnd == lineStart || raw[lineStart] == ':') {
				continue;
			}
			int colon = indexOf(raw, (byte) ':', lineStart, lineEnd);
			int fieldEnd = (colon < 0) ? lineEnd : colon;
			if (is(raw, lineStart, fieldEnd, EVENT)) {
				int valueStart = (colon < 0) ? lineEnd : colon + 1;
				if (valueStart < lineEnd && raw[valueStart] == ' ') {
					valueStart++;
				}
				event = new String(raw, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
			}
			else if (is(raw, lineStart, fieldEnd, DATA)) {
				hasData = true;
			}
		}
		if (event == null && !hasData) {
			return null;
		}
		return hasData ? new SseFrame(raw, event) : new SseFrame(raw, event, null);
	}

	private static boolean is(byte[] raw, int start, int end, byte[] name) {
		return end - start == name.length && Arrays.equals(raw, start, end, name, 0, name.length);
	}

	private static int indexOf(byte[] raw, byte b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (raw[i] == b) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The values of the {@code data:} lines joined with {@code \n}, as bytes: lines end
	 * at {@code \n}, {@code \r\n} or {@code \r}, bytes no UTF-8 character contains, so
	 * nothing needs decoding to find them.
	 */
	private static byte[] joinData(byte[] raw) {
		byte[] joined = null;
		int pos = 0;
		int length = raw.length;
		while (pos < length) {
			int end = pos;
			while (end < length && raw[end] != '\n' && raw[end] != '\r') {
				end++;
			}
			int lineStart = pos;
			int lineEnd = end;
			if (end < length && raw[end] == '\r' && end + 1 < length && raw[end + 1] == '\n') {
				end++;
			}
			pos = end + 1;
			if (lineEnd == lineStart || raw[lineStart] == ':') {
				continue;
			}
			int colon = indexOf(raw, (byte) ':', lineStart, lineEnd);
			if (!is(raw, lineStart, (colon < 0) ? lineEnd : colon, DATA)) {
				continue;
			}
			int valueStart = (colon < 0) ? lineEnd : colon + 1;
			if (valueStart < lineEnd && raw[valueStart] == ' ') {
				valueStart++;
			}
			if (joined == null) {
				joined = Arrays.copyOfRange(raw, valueStart, lineEnd);
			}
			else {
				byte[] longer = Arrays.copyOf(joined, joined.length + 1 + lineEnd - valueStart);
				longer[joined.length] = '\n';
				System.arraycopy(raw, valueStart, longer, joined.length + 1, lineEnd - valueStart);
				joined = longer;
			}
		}
		return joined;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof SseFrame frame && Arrays.equals(this.raw, frame.raw)
				&& Objects.equals(this.event, frame.event) && Objects.equals(data(), frame.data()));
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.raw);
	}

	@Override
	public String toString() {
		return "SseFrame[event=" + this.event + ", data=" + data() + "]";
	}

}
