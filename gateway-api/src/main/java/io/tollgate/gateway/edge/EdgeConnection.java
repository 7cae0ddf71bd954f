package io.tollgate.gateway.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tollgate.gateway.error.AnthropicErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection as the edge sees it, between Netty's HTTP codec and Reactor
 * Netty's request handling. It answers, in the Anthropic envelope and with a
 * {@code request-id}, what would otherwise get an empty answer from Reactor Netty or none
 * at all: heads the codec could not decode (431, 414, 400 for a malformed head or a
 * repeated {@code Content-Length}), unsupported HTTP versions (505), request targets that
 * are not valid URIs (400, such as malformed percent-encoding), heads that take longer
 * than the head timeout to arrive (408), and connections beyond the limits (503). Each of
 * these closes the connection.
 * <p>
 * The head timeout starts with the first byte of a head: on an idle keep-alive connection
 * Reactor Netty's idle timeout applies instead, and while a body is read its read and
 * request timeouts do.
 */
final class EdgeConnection extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(EdgeConnection.class);

	private final long headTimeoutMillis;

	private final EdgeMetrics metrics;

	private final ConnectionLimits.Refusal refusal;

	/** Requests decoded whose response has not ended. */
	private int pending;

	/** Whether the last decoded request's body has been read to its end. */
	private boolean bodyDone = true;

	/** Bytes arrived after a body while its response was pending: a next head. */
	private boolean trailingBytes;

	private boolean rejecting;

	private ScheduledFuture<?> headTimer;

	private ChannelHandlerContext context;

	EdgeConnection(long headTimeoutMillis, EdgeMetrics metrics, ConnectionLimits.Refusal refusal) {
		this.headTimeoutMillis = headTimeoutMillis;
		this.metrics = metrics;
		this.refusal = refusal;
	}

	/** Sits before the codec and notes that bytes arrived, decoded or not. */
	ChannelInboundHandlerAdapter rawReads() {
		return new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				bytesArrived();
				ctx.fireChannelRead(msg);
			}
		};
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		ctx.fireChannelActive();
		if (this.refusal != null) {
			this.metrics.rejected((this.refusal == ConnectionLimits.Refusal.TOTAL) ? "too_many_connections"
					: "too_many_connections_from_address");
			reject(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded_error",
					(this.refusal == ConnectionLimits.Refusal.TOTAL) ? "Too many open connections"
							: "Too many open connections from this address");
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancelHeadTimer();
		ctx.fireChannelInactive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.rejecting) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			cancelHeadTimer();
			this.trailingBytes = false;
			if (refuse(ctx, request)) {
				ReferenceCountUtil.release(msg);
				return;
			}
			this.pending++;
			this.bodyDone = msg instanceof LastHttpContent;
		}
		else if (msg instanceof LastHttpContent) {
			this.bodyDone = true;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof LastHttpContent && !informational(msg) && this.pending > 0) {
			this.pending--;
			if (this.pending == 0 && this.trailingBytes) {
				startHeadTimer();
			}
		}
		ctx.write(msg, promise);
	}

	private void bytesArrived() {
		if (this.rejecting) {
			return;
		}
		if (this.pending == 0) {
			// timed before the codec runs: a request answered at once, within this read,
			// leaves nothing pending after it, which must not look like a partial head
			startHeadTimer();
		}
		else if (this.bodyDone) {
			this.trailingBytes = true;
		}
	}

	/** Answers a request that must not reach the application; true when it did. */
	private boolean refuse(ChannelHandlerContext ctx, HttpRequest request) {
		DecoderResult result = request.decoderResult();
		if (result.isFailure()) {
			Throwable cause = result.cause();
			if (cause instanceof TooLongHttpLineException) {
				this.metrics.rejected("uri_too_long");
				reject(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "invalid_request_error",
						"The request line is too long");
			}
			else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
				this.metrics.rejected("headers_too_large");
				reject(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "invalid_request_error",
						"The request headers are too large");
			}
			else {
				this.metrics.rejected("malformed_head");
				reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_request_error", malformed(cause));
			}
			return true;
		}
		HttpVersion version = request.protocolVersion();
		if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version)) {
			this.metrics.rejected("http_version");
			reject(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "invalid_request_error",
					"HTTP version not supported: use HTTP/1.1");
			return true;
		}
		if (!isUri(request.uri())) {
			this.metrics.rejected("malformed_uri");
			reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_request_error",
					"The request target is not a valid URI (check its percent-encoding)");
			return true;
		}
		return false;
	}

	private static String malformed(Throwable cause) {
		String detail = (cause != null) ? cause.getMessage() : null;
		if (detail != null && detail.contains("Content-Length")) {
			return "Malformed HTTP request: Content-Length is repeated or invalid";
		}
		if (detail != null && detail.contains("Transfer-Encoding")) {
			return "Malformed HTTP request: Transfer-Encoding is invalid";
		}
		return "Malformed HTTP request";
	}

	/** What the application's URI parsing accepts; it answers an empty 400 otherwise. */
	private static boolean isUri(String target) {
		try {
			new URI(target);
			return true;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static boolean informational(Object msg) {
		return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
	}

	private void startHeadTimer() {
		if (this.headTimer == null && this.context != null) {
			ChannelHandlerContext ctx = this.context;
			this.headTimer = ctx.executor()
				.schedule(() -> headTimedOut(ctx), this.headTimeoutMillis, TimeUnit.MILLISECONDS);
		}
	}

	private void cancelHeadTimer() {
		if (this.headTimer != null) {
			this.headTimer.cancel(false);
			this.headTimer = null;
		}
	}

	private void headTimedOut(ChannelHandlerContext ctx) {
		this.headTimer = null;
		if (!this.rejecting && ctx.channel().isActive()) {
			this.metrics.rejected("head_timeout");
			reject(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "timeout_error",
					"The request head was not received in time");
		}
	}

	/** Answers in the Anthropic envelope and closes the connection. */
	private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String message) {
		this.rejecting = true;
		cancelHeadTimer();
		String id = RequestIds.generate();
		logger.debug("Request {} from {} refused at the edge: {} {}", id, ctx.channel().remoteAddress(), status.code(),
				message);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(AnthropicErrors.body(type, message, id)));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
			.set(RequestIds.HEADER, id)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		if (status.code() == 503) {
			response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
		}
		else if (status.code() != 408) {
			response.headers().set("x-should-retry", "false");
		}
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
