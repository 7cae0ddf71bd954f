package io.tollgate.gateway.error;

import java.io.IOException;

import io.netty.channel.ChannelException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.channel.AbortedException;

/**
 * Failures that are the client's doing, not Tollgate's: it hung up (mid-body or before
 * the answer), or sent its body too slowly. They are routine: logged without a stack
 * trace and never counted as server errors.
 */
public final class ClientGone {

	/** The status recorded for a client that closed the connection (nginx's 499). */
	static final int CLIENT_CLOSED = 499;

	private ClientGone() {
	}

	/**
	 * Marks a failure to read the client's body that is the body's slowness, so that it
	 * is told apart from an upstream's read timeout (the same Netty exception).
	 * @param ex what reading the body failed with
	 * @return a {@link SlowBody}, or {@code ex} itself
	 */
	public static Throwable whileReadingBody(Throwable ex) {
		return tooSlow(ex) ? new SlowBody() : ex;
	}

	/** The client's body came too slowly; Reactor Netty closes its connection. */
	static final class SlowBody extends RuntimeException {

		SlowBody() {
			super("The request body was not received in time", null, false, false);
		}

	}

	/** Whether the client hung up (on this server's connection, not an upstream's). */
	static boolean hungUp(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AbortedException
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
