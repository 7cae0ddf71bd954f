package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.routing.response.AnthropicResponses;
import io.tollgate.routing.sse.SseFrame;
import io.tollgate.routing.sse.SseFramer;

/**
 * Relays an Anthropic event stream as it arrives, keeping each event's bytes, while
 * reading the usage from {@code message_start} and {@code message_delta}. Only
 * {@code message_start} is rewritten, to echo the model the client asked for, and only
 * its model value changes. One instance per stream.
 */
final class AnthropicStreamRelay {

	private static final byte[] MESSAGE_START = "event: message_start\ndata: ".getBytes(StandardCharsets.UTF_8);

	private static final byte[] END_OF_EVENT = { '\n', '\n' };

	private final SseFramer framer = new SseFramer();

	private final GatewayRequest request;

	private boolean stopped;

	private boolean failed;

	AnthropicStreamRelay(GatewayRequest request) {
		this.request = request;
	}

	/** The bytes to send for a chunk of the upstream stream: the events it completed. */
	byte[] onChunk(byte[] chunk) {
		return encode(this.framer.feed(chunk));
	}

	/** The bytes to send when the upstream ends: an unterminated last event, if any. */
	byte[] onEnd() {
		SseFrame last = this.framer.flush();
		return (last != null) ? encode(List.of(last)) : new byte[0];
	}

	/** Whether the upstream sent {@code message_stop}: the answer is whole. */
	boolean stopped() {
		return this.stopped;
	}

	/** Whether the upstream sent an {@code error} event. */
	boolean failed() {
		return this.failed;
	}

	private byte[] encode(List<SseFrame> frames) {
		if (frames.isEmpty()) {
			return new byte[0];
		}
		if (frames.size() == 1) {
			return encode(frames.get(0));
		}
		byte[][] encoded = new byte[frames.size()][];
		int length = 0;
		for (int i = 0; i < encoded.length; i++) {
			encoded[i] = encode(frames.get(i));
			length += encoded[i].length;
		}
		byte[] out = new byte[length];
		int at = 0;
		for (byte[] event : encoded) {
			System.arraycopy(event, 0, out, at, event.length);
			at += event.length;
		}
		return out;
	}

	private byte[] encode(SseFrame frame) {
		String event = frame.event();
		if (event == null) {
			return frame.raw();
		}
		switch (event) {
			case "message_start" -> {
				return messageStart(frame);
			}
			case "message_delta" ->
				this.request.usage(AnthropicResponses.messageDelta(required(frame.data()), this.request.usage()));
			case "content_block_delta" -> {
				this.request.firstToken();
				this.request.streamed().delta(frame.dataBytes());
			}
			case "message_stop" -> {
				this.stopped = true;
				if (!this.failed) {
					this.request.answered();
				}
			}
			case "error" -> this.failed = true;
			default -> {
			}
		}
		return frame.raw();
	}

	private byte[] messageStart(SseFrame frame) {
		AnthropicResponses.Echo echo = AnthropicResponses.messageStart(
				required(frame.data()).getBytes(StandardCharsets.UTF_8), this.request.requestedModel(),
				this.request.usage());
		if (echo == null) {
			return frame.raw();
		}
		this.request.usage(echo.usage());
		byte[] data = PlanningUsageDetails.add(this.request, echo.json());
		byte[] event = new byte[MESSAGE_START.length + data.length + END_OF_EVENT.length];
		System.arraycopy(MESSAGE_START, 0, event, 0, MESSAGE_START.length);
		System.arraycopy(data, 0, event, MESSAGE_START.length, data.length);
		System.arraycopy(END_OF_EVENT, 0, event, MESSAGE_START.length + data.length, END_OF_EVENT.length);
		return event;
	}

	private static String required(String data) {
		if (data == null) {
			throw new IllegalArgumentException("The event has no data");
		}
		return data;
	}

}
