package io.tollgate.gateway.forward;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.routing.convert.StreamConverter;
import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.sse.SseFrame;
import io.tollgate.routing.sse.SseFramer;

/**
 * Turns an OpenAI chunk stream into Anthropic events as the chunks arrive, keeping the
 * request's usage up to date. One instance per stream.
 */
final class OpenAiStreamRelay {

	private final SseFramer framer = new SseFramer();

	private final GatewayRequest request;

	private final StreamConverter converter;

	private boolean failed;

	OpenAiStreamRelay(GatewayRequest request, StreamConverter converter) {
		this.request = request;
		this.converter = converter;
	}

	byte[] onChunk(byte[] chunk) {
		return frames(this.framer.feed(chunk));
	}

	/**
	 * The upstream closed: whatever was pending, then a proper end of the Anthropic
	 * stream.
	 */
	byte[] onEnd() {
		SseFrame last = this.framer.flush();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(frames((last != null) ? List.of(last) : List.of()));
		if (!this.converter.finished()) {
			out.writeBytes(events(this.converter.onUpstreamEnd()));
		}
		return out.toByteArray();
	}

	/**
	 * The upstream connection failed mid-stream: an {@code error} event, unless the
	 * stream already ended.
	 */
	byte[] onFailure(Throwable cause) {
		if (this.converter.finished()) {
			return new byte[0];
		}
		this.failed = true;
		return KeepAlive.failureEvent(cause);
	}

	Outcome outcome() {
		return (this.converter.finished() && !this.failed) ? Outcome.OK : Outcome.UPSTREAM_ERROR;
	}

	private byte[] frames(List<SseFrame> frames) {
		if (frames.isEmpty()) {
			return new byte[0];
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (SseFrame frame : frames) {
			if (frame.data() != null && !this.converter.finished()) {
				out.writeBytes(events(this.converter.onData(frame.data())));
			}
		}
		return out.toByteArray();
	}

	private byte[] events(List<SseEvent> events) {
		if (events.isEmpty()) {
			return new byte[0];
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (SseEvent event : events) {
			switch (event.event()) {
				case "content_block_delta" -> {
					this.request.firstToken();
					this.request.streamed().delta(event.data());
				}
				case "error" -> this.failed = true;
				case "message_stop" -> {
					if (!this.failed) {
						this.request.usage(this.converter.usage());
						this.request.answered();
					}
				}
				default -> {
				}
			}
			out.writeBytes(event.toBytes());
		}
		this.request.usage(this.converter.usage());
		return out.toByteArray();
	}

}
