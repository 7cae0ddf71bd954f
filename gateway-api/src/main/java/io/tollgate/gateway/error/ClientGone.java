package io.tollgate.gateway.error;

import java.io.IOException;

import io.netty.channel.ChannelException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Failures that are the client's doing, not Tollgate's: it hung up (mid-body or before
 * the answer), or sent its body too slowly. They are routine: logged without a stack
 * trace and never counted as server errors.
 */
final class ClientGone {

	/** The status recorded for a client that closed the connection (nginx's 499). */
	static final int CLIENT_CLOSED = 499;

	private ClientGone() {
	}

	/** Whether the client hung up. */
	static boolean hungUp(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AbortedException || cause instanceof PrematureCloseException
					|| (cause instanceof IOException && AbortedException.isConnectionReset(cause))) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/** Whether the client's body came too slowly (read or request timeout). */
	static boolean tooSlow(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ReadTimeoutException || isRequestTimeout(cause)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/** Reactor Netty's request timeout, whose class is not public. */
	private static boolean isRequestTimeout(Throwable cause) {
		return cause instanceof ChannelException
				&& cause.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
	}

}
