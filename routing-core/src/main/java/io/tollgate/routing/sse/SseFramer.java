package io.tollgate.routing.sse;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a server-sent-event byte stream into whole events, incrementally, without
 * waiting for the end of the stream. Each frame keeps its original bytes, so a relay can
 * forward them unchanged. Lines may end with {@code \n}, {@code \r\n} or {@code \r};
 * several {@code data:} lines join with {@code \n}.
 * <p>
 * Not thread-safe: one framer per stream.
 */
public final class SseFramer {

	private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);

	private int lineLength;

	private boolean eventHasLines;

	private boolean previousWasCr;

	/**
	 * Feeds the next chunk of the stream.
	 * @param chunk bytes as they arrived
	 * @return the events completed by this chunk, possibly none
	 */
	public List<SseFrame> feed(byte[] chunk) {
		List<SseFrame> frames = null;
		int start = 0;
		for (int i = 0; i < chunk.length; i++) {
			byte b = chunk[i];
			boolean crlfTail = (b == '\n' && this.previousWasCr);
			this.previousWasCr = (b == '\r');
			if (crlfTail || (b != '\n' && b != '\r')) {
				if (!crlfTail) {
					this.lineLength++;
				}
				continue;
			}
			if (this.lineLength > 0) {
				this.eventHasLines = true;
				this.lineLength = 0;
				continue;
			}
			// an empty line: it ends the event, if there is one; an event that lies
			// whole in this chunk is copied once, not through the pending buffer
			byte[] raw = null;
			if (this.eventHasLines) {
				if (this.pending.size() == 0) {
					raw = Arrays.copyOfRange(chunk, start, i + 1);
				}
				else {
					this.pending.write(chunk, start, i + 1 - start);
					raw = this.pending.toByteArray();
				}
			}
			start = i + 1;
			if (raw != null) {
				SseFrame frame = SseFrame.parse(raw);
				if (frame != null) {
					if (frames == null) {
						frames = new ArrayList<>(2);
					}
					frames.add(frame);
				}
			}
			this.pending.reset();
			this.eventHasLines = false;
		}
		if (start < chunk.length) {
			this.pending.write(chunk, start, chunk.length - start);
		}
		return (frames != null) ? frames : List.of();
	}

	/**
	 * The event the stream left unfinished, when it ends without the closing blank line.
	 * @return the unfinished event, or {@code null} if nothing meaningful is pending
	 */
	public SseFrame flush() {
		if (!this.eventHasLines && this.lineLength == 0) {
			this.pending.reset();
			return null;
		}
		this.pending.write('\n');
		this.pending.write('\n');
		SseFrame frame = SseFrame.parse(this.pending.toByteArray());
		this.pending.reset();
		this.eventHasLines = false;
		this.lineLength = 0;
		return frame;
	}

}
