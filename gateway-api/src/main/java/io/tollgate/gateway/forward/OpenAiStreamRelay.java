package io.tollgate.gateway.forward;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.core.instrument.Metrics;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.routing.convert.CompletionStream;
import io.tollgate.routing.convert.ConversionContext;
import io.tollgate.routing.convert.StreamConverter;
import io.tollgate.routing.convert.UpstreamErrorException;
import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.sse.SseFrame;
import io.tollgate.routing.sse.SseFramer;
import io.tollgate.routing.usage.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an OpenAI chunk stream into Anthropic events as the chunks arrive, keeping the
 * request's usage up to date. Bytes are framed whole events at a time, so a character
 * split across network reads is decoded whole. An upstream that answers the stream
 * request with one JSON body instead (its first non-whitespace byte is <code>{</code>) is
 * collected and told as a stream when it ends ({@link #completion}). One instance per
 * stream.
 */
final class OpenAiStreamRelay {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiStreamRelay.class);

	private static final byte[] NOTHING = new byte[0];

	/**
	 * Streaming requests an upstream answered with one JSON body, by outcome:
	 * {@code converted} into a stream or answered as an {@code error}.
	 */
	static final String JSON_ANSWERS = "tollgate.openai.stream.json.answers";

	private final SseFramer framer = new SseFramer();

	private final GatewayRequest request;

	private final ConversionContext context;

	private final StreamConverter converter;

	private boolean sniffed;

	private ByteArrayOutputStream jsonBody;

	private TokenUsage completionUsage;

	private boolean completed;

	private boolean failed;

	OpenAiStreamRelay(GatewayRequest request, ConversionContext context) {
		this.request = request;
		this.context = context;
		this.converter = new StreamConverter(context);
	}

	byte[] onChunk(byte[] chunk) {
		if (!this.sniffed) {
			sniff(chunk);
		}
		if (this.jsonBody != null) {
			this.jsonBody.writeBytes(chunk);
			return NOTHING;
		}
		return frames(this.framer.feed(chunk));
	}

	/**
	 * The upstream closed: whatever was pending, then a proper end of the Anthropic
	 * stream.
	 * @throws UpstreamErrorException when the upstream answered with one JSON body that
	 * is an error
	 */
	byte[] onEnd() {
		if (this.jsonBody != null) {
			return completion(this.jsonBody.toByteArray());
		}
		SseFrame last = this.framer.flush();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(frames((last != null) ? List.of(last) : List.of()));
		if (!this.converter.finished()) {
			out.writeBytes(events(this.converter.onUpstreamEnd()));
		}
		return out.toByteArray();
	}

	/**
	 * A whole JSON completion told as the Anthropic stream.
	 * @param body the upstream's body
	 * @return the stream's bytes
	 * @throws UpstreamErrorException when the body is an error object, holds no choice or
	 * is not JSON; nothing has been sent then, so the client gets an HTTP error
	 */
	byte[] completion(byte[] body) {
		CompletionStream.Converted converted;
		try {
			converted = new CompletionStream().convert(body, this.context);
		}
		catch (UpstreamErrorException ex) {
			Metrics.counter(JSON_ANSWERS, "outcome", "error").increment();
			throw ex;
		}
		Metrics.counter(JSON_ANSWERS, "outcome", "converted").increment();
		this.completionUsage = converted.usage();
		return events(converted.events());
	}

	/**
	 * The upstream connection failed mid-stream: an {@code error} event, unless the
	 * stream already ended.
	 */
	byte[] onFailure(Throwable cause) {
		if (this.completed) {
			return NOTHING;
		}
		this.failed = true;
		return KeepAlive.failureEvent(cause);
	}

	Outcome outcome() {
		return (this.completed && !this.failed) ? Outcome.OK : Outcome.UPSTREAM_ERROR;
	}

	private void sniff(byte[] chunk) {
		for (byte b : chunk) {
			if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
				this.sniffed = true;
				if (b == '{') {
					logger.debug("Request {}: the upstream answered a stream request with a JSON body",
							this.request.id());
					this.jsonBody = new ByteArrayOutputStream();
				}
				return;
			}
		}
	}

	private TokenUsage usage() {
		return (this.completionUsage != null) ? this.completionUsage : this.converter.usage();
	}

	private byte[] frames(List<SseFrame> frames) {
		if (frames.isEmpty()) {
			return NOTHING;
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
			return NOTHING;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (SseEvent event : events) {
			switch (event.event()) {
				case "message_start" -> {
					if (PlanningUsageDetails.applies(this.request)) {
						event = new SseEvent(event.event(),
								new String(
										PlanningUsageDetails.add(this.request,
												event.data().getBytes(StandardCharsets.UTF_8)),
										StandardCharsets.UTF_8));
					}
				}
				case "content_block_delta" -> {
					this.request.firstToken();
					this.request.streamed().delta(event.data());
				}
				case "error" -> {
					this.failed = true;
					this.completed = true;
				}
				case "message_stop" -> {
					this.completed = true;
					if (!this.failed) {
						this.request.usage(usage());
						this.request.answered();
					}
				}
				default -> {
				}
			}
			out.writeBytes(event.toBytes());
		}
		this.request.usage(usage());
		return out.toByteArray();
	}

}
