package io.tollgate.gateway.forward;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.netty.NettyPipeline;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends requests to upstream accounts over pooled, kept-alive connections and hands back
 * the response head as soon as it arrives, leaving the body to be streamed.
 * <p>
 * Each server event loop has a pool of its own, whose connections live on that same loop:
 * a request, its upstream exchange and its response are then handled by one thread, with
 * no hand-off between loops (a shared pool hands out connections of any loop, and every
 * hand-off costs a task queue and a wake-up on each side). The configured size is shared
 * out between the loops. Callers off the event loops use a shared pool.
 */
public class UpstreamClient implements AutoCloseable {

	private static final AtomicInteger POOLS = new AtomicInteger();

	private static final String IDLE_HANDLER = "tollgate.idleTimeout";

	private final int maxConnectionsPerLoop;

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	private final long idleMillis;

	private final ConnectionProvider sharedPool;

	private final HttpClient shared;

	private final Map<EventLoop, Colocated> colocated = new ConcurrentHashMap<>();

	/** Parsed once: Reactor Netty parses a URL string with a regular expression. */
	private final Map<String, URI> uris = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Creates the client.
	 * @param maxConnections most connections to one upstream, all event loops together
	 * @param connectTimeout time to open a connection
	 * @param responseTimeout default longest wait for the head
	 * @param idleTimeout longest wait between two reads of the body, once the head
	 * arrived
	 * @param eventLoops how many event loops share the connections out
	 */
	public UpstreamClient(int maxConnections, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
			int eventLoops) {
		this.idleMillis = Math.max(1, idleTimeout.toMillis());
		this.maxConnectionsPerLoop = Math.max(1, (maxConnections + eventLoops - 1) / Math.max(1, eventLoops));
		this.connectTimeout = connectTimeout;
		this.responseTimeout = responseTimeout;
		this.sharedPool = pool("tollgate-upstream", maxConnections);
		this.shared = configure(HttpClient.create(this.sharedPool));
	}

	private static ConnectionProvider pool(String name, int maxConnections) {
		return ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(50))
			.evictInBackground(Duration.ofSeconds(30))
			.build();
	}

	private HttpClient configure(HttpClient client) {
		return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(this.connectTimeout.toMillis()))
			.keepAlive(true)
			.compress(false)
			.responseTimeout(this.responseTimeout);
	}

	/**
	 * Posts a body.
	 * @param loop the event loop of the client's connection, or {@code null} off the
	 * event loops
	 * @param url full URL
	 * @param headers sets the request headers
	 * @param body the bytes to send
	 * @param responseTimeout longest wait for the head; the body then gets the idle
	 * timeout between reads
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> post(EventLoop loop, String url, Consumer<HttpHeaders> headers, byte[] body,
			Duration responseTimeout) {
		return client(loop, responseTimeout).post().uri(uri(url)).send((request, outbound) -> {
			headers.accept(request.requestHeaders());
			return outbound.sendObject(Unpooled.wrappedBuffer(body));
		}).responseConnection((response, connection) -> {
			// the time to the head is one setting, the silence allowed within the body
			// another: swap Reactor Netty's response timeout for an idle timeout, which
			// goes away with the exchange
			connection.removeHandler(NettyPipeline.ResponseTimeoutHandler);
			connection.addHandlerLast(IDLE_HANDLER, new ReadTimeoutHandler(this.idleMillis, TimeUnit.MILLISECONDS));
			return Mono.just(new UpstreamResponse(response.status().code(), response.responseHeaders(), connection));
		}).next();
	}

	/**
	 * Gets a URL, for connection tests and model lists.
	 * @param url full URL
	 * @param headers sets the request headers
	 * @param responseTimeout longest wait
	 * @return the response once its head arrived
	 */
	public Mono<UpstreamResponse> get(String url, Consumer<HttpHeaders> headers, Duration responseTimeout) {
		return client(null, responseTimeout).headers(headers)
			.get()
			.uri(url)
			.responseConnection((response, connection) -> Mono
				.just(new UpstreamResponse(response.status().code(), response.responseHeaders(), connection)))
			.next();
	}

	private URI uri(String url) {
		URI uri = this.uris.get(url);
		if (uri == null) {
			uri = URI.create(url);
			if (this.uris.size() < 1024) {
				this.uris.put(url, uri);
			}
		}
		return uri;
	}

	private HttpClient client(EventLoop loop, Duration responseTimeout) {
		HttpClient client = (loop != null && !this.closed) ? colocated(loop) : this.shared;
		return responseTimeout.equals(this.responseTimeout) ? client : client.responseTimeout(responseTimeout);
	}

	private HttpClient colocated(EventLoop loop) {
		Colocated existing = this.colocated.get(loop);
		return (existing != null) ? existing.client() : this.colocated.computeIfAbsent(loop, (key) -> {
			ConnectionProvider pool = pool("tollgate-upstream-" + POOLS.incrementAndGet(), this.maxConnectionsPerLoop);
			return new Colocated(pool, configure(HttpClient.create(pool)).runOn(key));
		}).client();
	}

	@Override
	public void close() {
		this.closed = true;
		this.colocated.values().forEach((colocated) -> colocated.pool().dispose());
		this.sharedPool.dispose();
	}

	private record Colocated(ConnectionProvider pool, HttpClient client) {
	}

}
