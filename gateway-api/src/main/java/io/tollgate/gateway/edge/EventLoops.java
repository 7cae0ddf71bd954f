package io.tollgate.gateway.edge;

import io.netty.channel.EventLoop;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The Netty event loop that serves an exchange, so that the work done for it elsewhere
 * (its upstream connection) can stay on the same thread.
 */
public final class EventLoops {

	private EventLoops() {
	}

	/**
	 * The event loop of the exchange's connection.
	 * @param exchange the exchange
	 * @return its event loop, or {@code null} when it is not served by Reactor Netty
	 */
	public static EventLoop of(ServerWebExchange exchange) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		return (request instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

}
