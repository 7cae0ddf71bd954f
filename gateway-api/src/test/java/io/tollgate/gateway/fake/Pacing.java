package io.tollgate.gateway.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Streams whose events come paced like a model generating: the first frame at once, each
 * next one after a random delay between {@code minDelay} and {@code maxDelay}, with
 * {@code deltas} text deltas in between. Timers run on the connection's event loop and a
 * stream holds nothing but its frames' index, so one fake can hold ten thousand of them.
 *
 * Each answer has {@code deltas} text deltas (Anthropic) or content chunks (OpenAI).
 */
public final class Pacing {

	private final Duration minDelay;

	private final Duration maxDelay;

	private final int deltas;

	private final AnthropicReply anthropic;

	private final OpenAiReply openAi;

	public Pacing(Duration minDelay, Duration maxDelay, int deltas) {
		if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0 || deltas < 1) {
			throw new IllegalArgumentException("pacing needs 0 <= minDelay <= maxDelay and one delta or more");
		}
		this.minDelay = minDelay;
		this.maxDelay = maxDelay;
		this.deltas = deltas;
		List<String> pieces = new ArrayList<>(Collections.nCopies(deltas, " token"));
		pieces.set(0, "Hello");
		String[] text = pieces.toArray(String[]::new);
		this.anthropic = AnthropicReply.create().text(text);
		this.openAi = OpenAiReply.create().content(text);
	}

	public int deltas() {
		return this.deltas;
	}

	/**
	 * Parses {@code <min>-<max>:<deltas>} in milliseconds, e.g. {@code 50-100:300}, or
	 * {@code <delay>:<deltas>}.
	 */
	public static Pacing parse(String spec) {
		String[] parts = spec.trim().split(":");
		if (parts.length != 2) {
			throw new IllegalArgumentException("pacing is <min>-<max>:<deltas> in ms: " + spec);
		}
		String[] delays = parts[0].split("-");
		long min = Long.parseLong(delays[0].trim());
		long max = (delays.length > 1) ? Long.parseLong(delays[1].trim()) : min;
		return new Pacing(Duration.ofMillis(min), Duration.ofMillis(max), Integer.parseInt(parts[1].trim()));
	}

	/** The frames an answer sends: the standard shape with {@code deltas} deltas. */
	Answer answer(Incoming request) {
		return (request.protocol() == Protocol.OPENAI) ? this.openAi.answer(request) : this.anthropic.answer(request);
	}

	Mono<Void> write(HttpServerResponse response, Answer answer) {
		response.status(answer.status());
		answer.headers().forEach(response::header);
		if (!answer.streaming()) {
			return response.sendByteArray(Mono.just(answer.body())).then();
		}
		EventLoop[] loop = new EventLoop[1];
		response.withConnection((connection) -> loop[0] = connection.channel().eventLoop());
		List<byte[]> frames = answer.events();
		Flux<ByteBuf> paced = Flux.create((sink) -> new Emitter(sink, frames, loop[0]).run());
		return response.sendHeaders().send(paced, (buffer) -> true).then();
	}

	private long nextDelayNanos() {
		long min = this.minDelay.toNanos();
		long max = this.maxDelay.toNanos();
		return (max == min) ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
	}

	/** Sends one frame, then schedules itself for the next on the event loop. */
	private final class Emitter implements Runnable {

		private final FluxSink<ByteBuf> sink;

		private final List<byte[]> frames;

		private final EventLoop loop;

		private int next;

		Emitter(FluxSink<ByteBuf> sink, List<byte[]> frames, EventLoop loop) {
			this.sink = sink;
			this.frames = frames;
			this.loop = loop;
		}

		@Override
		public void run() {
			if (this.sink.isCancelled()) {
				return;
			}
			this.sink.next(Unpooled.wrappedBuffer(this.frames.get(this.next++)));
			if (this.next == this.frames.size()) {
				this.sink.complete();
				return;
			}
			this.loop.schedule(this, nextDelayNanos(), TimeUnit.NANOSECONDS);
		}

	}

}
