package io.tollgate.gateway.fake;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An in-process stand-in for the upstream providers, speaking the Anthropic Messages API
 * ({@code /v1/messages}, {@code /v1/messages/count_tokens}, {@code /v1/models}) and
 * OpenAI Chat Completions ({@code /v1/chat/completions} and {@code /chat/completions}),
 * streaming and not. It records every request and fails on demand, per credential: <pre>
 * try (FakeUpstream fake = FakeUpstream.start()) {
 *     fake.script("sk-acct-a").overloaded().times(2);
 *     // ... point the gateway at fake.baseUrl() and call it ...
 *     assertThat(fake.lastRequest().credential()).isEqualTo("sk-acct-b");
 * }
 * </pre> Unscripted requests get deterministic answers that echo the requested model and
 * derive input tokens from the body size (about four bytes a token). Requests without
 * {@code x-api-key} or a bearer token get a 401.
 */
public final class FakeUpstream implements AutoCloseable {

	private final FakeHandler handler;

	private final LoopResources loops;

	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final DisposableServer server;

	private FakeUpstream(Builder builder) {
		this.handler = new FakeHandler(new RequestLog(builder.recordLimit));
		this.loops = LoopResources.create("fake-upstream", 1, builder.threads, true);
		this.server = HttpServer.create()
			.host(builder.host)
			.port(builder.port)
			.runOn(this.loops)
			.doOnConnection((connection) -> this.connections.add(connection.channel()))
			.handle(this.handler::handle)
			.bindNow();
	}

	/**
	 * Starts a fake on an ephemeral port of 127.0.0.1, recording up to 10,000 requests.
	 */
	public static FakeUpstream start() {
		return builder().start();
	}

	/** Settings for a fake started differently. */
	public static Builder builder() {
		return new Builder();
	}

	public int port() {
		return this.server.port();
	}

	/** {@code http://127.0.0.1:<port>}, without a trailing slash or {@code /v1}. */
	public String baseUrl() {
		return "http://" + this.server.host() + ":" + port();
	}

	/** The script for requests bearing this API key or bearer token, consulted first. */
	public Script script(String credential) {
		return this.handler.scripts.computeIfAbsent(Objects.requireNonNull(credential), (key) -> new Script());
	}

	/**
	 * The script for requests with any credential, consulted when the credential's own
	 * script has no step.
	 */
	public Script script() {
		return this.handler.anyCredential;
	}

	/**
	 * Answers every valid generation request bearing this credential with a paced stream
	 * (or, not streaming, its message at once), before any script; for benchmarks.
	 */
	public FakeUpstream pace(String credential, Pacing pacing) {
		this.handler.paced.put(Objects.requireNonNull(credential), Objects.requireNonNull(pacing));
		return this;
	}

	/** Every recorded request, oldest first. */
	public List<RecordedRequest> requests() {
		return this.handler.log.all();
	}

	/** The recorded requests that bore this credential, oldest first. */
	public List<RecordedRequest> requests(String credential) {
		return requests().stream().filter((request) -> credential.equals(request.credential())).toList();
	}

	/** The most recent request, or {@code null}. */
	public RecordedRequest lastRequest() {
		return this.handler.log.last();
	}

	/** Forgets recorded requests and resets {@link #maxInFlight()}; scripts stay. */
	public void clear() {
		this.handler.log.clear();
		this.handler.maxInFlight.set(this.handler.inFlight.get());
	}

	/** Forgets recorded requests and every script, and releases a {@link #hold()}. */
	public void reset() {
		clear();
		this.handler.scripts.clear();
		this.handler.anyCredential.clear();
		release();
	}

	/**
	 * Exchanges received and not yet finished (answered, dropped, or abandoned by the
	 * client) right now.
	 */
	public int inFlight() {
		return this.handler.inFlight.get();
	}

	/** The most exchanges that were in flight at once since start or {@link #clear()}. */
	public int maxInFlight() {
		return this.handler.maxInFlight.get();
	}

	/** TCP connections open to the fake right now. */
	public int openConnections() {
		return this.connections.size();
	}

	/**
	 * Holds every request that arrives from now on before its first byte, until
	 * {@link #release()} or {@link Gate#release()}. Watch {@link Gate#waiting()} to see
	 * them pile up.
	 */
	public Gate hold() {
		Gate gate = new Gate();
		Gate previous = this.handler.hold.getAndSet(gate);
		if (previous != null) {
			previous.release();
		}
		return gate;
	}

	/**
	 * Releases the current {@link #hold()}, if any; later requests are answered at once.
	 */
	public void release() {
		Gate gate = this.handler.hold.getAndSet(null);
		if (gate != null) {
			gate.release();
		}
	}

	/** Releases held requests, closes every connection and stops the server. */
	@Override
	public void close() {
		release();
		this.connections.close().awaitUninterruptibly(Duration.ofSeconds(5).toMillis());
		this.server.disposeNow(Duration.ofSeconds(5));
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
	}

	/** How to start a fake. */
	public static final class Builder {

		private String host = "127.0.0.1";

		private int port;

		private int recordLimit = 10_000;

		private int threads = 2;

		private Builder() {
		}

		/** The port to bind; 0 (the default) picks a free one. */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** The address to bind; 127.0.0.1 by default. */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * How many requests to keep for {@link #requests()}; 0 turns recording off
		 * (benchmarks).
		 */
		public Builder recordLimit(int limit) {
			this.recordLimit = limit;
			return this;
		}

		/** Event-loop threads; 2 by default. */
		public Builder threads(int threads) {
			this.threads = threads;
			return this;
		}

		public FakeUpstream start() {
			return new FakeUpstream(this);
		}

	}

}
