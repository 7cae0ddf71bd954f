package io.tollgate.gateway.forward;

import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.tollgate.gateway.error.GatewayException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * An attempt that failed before the first byte reached the client: an upstream error
 * response, as the client should get it (always the Anthropic envelope), or an upstream
 * that could not be reached or answered garbage.
 *
 * @param status the status to answer with
 * @param upstreamStatus the upstream's status, or 0 when it gave none worth reading (not
 * reached, timed out, malformed answer)
 * @param headers headers passed on to the client (retry advice, rate limits)
 * @param body the error body, in the Anthropic envelope, or {@code null} when Tollgate
 * answers with {@code error}
 * @param error Tollgate's own error, or {@code null}
 * @param detail what the account's health record should say, or {@code null} for the
 * status and error type
 */
public record UpstreamFailure(int status, int upstreamStatus, HttpHeaders headers, byte[] body, GatewayException error,
		String detail) {

	/**
	 * An upstream error passed on to the client.
	 * @param status the status to answer with (the upstream's, or a mapped one)
	 * @param upstreamStatus the upstream's status
	 * @param headers headers passed on to the client
	 * @param body the body, in the Anthropic envelope
	 * @param detail what the account's health record should say, or {@code null}
	 * @return the failure
	 */
	public static UpstreamFailure answered(int status, int upstreamStatus, HttpHeaders headers, byte[] body,
			String detail) {
		return new UpstreamFailure(status, upstreamStatus, headers, body, null, detail);
	}

	/**
	 * A failure Tollgate answers with an error of its own.
	 * @param error the error
	 * @return the failure
	 */
	public static UpstreamFailure of(GatewayException error) {
		return new UpstreamFailure(error.status(), 0, HttpHeaders.EMPTY, null, error, null);
	}

	public static UpstreamFailure unreachable(Throwable cause) {
		GatewayException error;
		String detail = null;
		if (cause instanceof ConnectTimeoutException) {
			error = GatewayException.upstreamUnavailable("Could not connect to the upstream in time");
		}
		else if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
			error = GatewayException.timeout("The upstream did not answer in time");
		}
		else if (cause instanceof PrematureCloseException) {
			error = GatewayException.upstreamFailed("The upstream closed the connection before answering");
		}
		else if (cause instanceof MalformedUpstreamAnswer malformed) {
			error = GatewayException.upstreamFailed("The upstream answered with a malformed response");
			detail = malformed.getMessage();
		}
		else {
			error = GatewayException.upstreamUnavailable("The upstream could not be reached");
		}
		return new UpstreamFailure(error.status(), 0, HttpHeaders.EMPTY, null, error, detail);
	}

	/** The upstream's {@code retry-after}, or {@code null}. */
	public String retryAfter() {
		return this.headers.getFirst("retry-after");
	}

	/**
	 * Worth another account: not reached, malformed answers, overload, rate limit, server
	 * errors, account-level auth failures, upstream timeouts.
	 */
	public boolean worthRetryingElsewhere() {
		int upstream = this.upstreamStatus;
		return upstream == 0 || upstream == 429 || upstream == 529 || upstream >= 500 || upstream == 401
				|| upstream == 403 || upstream == 408;
	}

	public Mono<ServerResponse> toResponse() {
		if (this.error != null) {
			return Mono.error(this.error);
		}
		return ServerResponse.status(this.status)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.addAll(this.headers))
			.bodyValue(this.body);
	}

}
