package io.tollgate.gateway.forward;

import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.tollgate.gateway.error.GatewayException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * An attempt that failed before the first byte reached the client: an upstream error
 * response, kept byte-for-byte so it can be passed on, or an upstream that could not be
 * reached.
 *
 * @param status the status to answer with
 * @param contentType the upstream's content type
 * @param retryAfter the upstream's {@code retry-after}, or {@code null}
 * @param body the upstream's error body, or {@code null} when Tollgate produces the error
 * @param error Tollgate's own error when the upstream was unreachable
 */
public record UpstreamFailure(int status, String contentType, String retryAfter, byte[] body, GatewayException error) {

	public UpstreamFailure(int status, String contentType, String retryAfter, byte[] body) {
		this(status, contentType, retryAfter, body, null);
	}

	/**
	 * A failure Tollgate answers with an error of its own.
	 * @param error the error
	 * @return the failure
	 */
	public static UpstreamFailure of(GatewayException error) {
		return new UpstreamFailure(error.status(), null, null, null, error);
	}

	public static UpstreamFailure unreachable(Throwable cause) {
		GatewayException error;
		if (cause instanceof ConnectTimeoutException) {
			error = GatewayException.upstreamUnavailable("Could not connect to the upstream in time");
		}
		else if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
			error = GatewayException.timeout("The upstream did not answer in time");
		}
		else if (cause instanceof PrematureCloseException) {
			error = GatewayException.upstreamFailed("The upstream closed the connection before answering");
		}
		else {
			error = GatewayException.upstreamUnavailable("The upstream could not be reached");
		}
		return new UpstreamFailure(error.status(), null, null, null, error);
	}

	/**
	 * Worth another account: overload, rate limit, server errors, account-level auth
	 * failures.
	 */
	public boolean worthRetryingElsewhere() {
		return this.error != null || this.status == 429 || this.status == 529 || this.status >= 500
				|| this.status == 401 || this.status == 403 || this.status == 408;
	}

	public Mono<ServerResponse> toResponse() {
		if (this.error != null) {
			return Mono.error(this.error);
		}
		ServerResponse.BodyBuilder builder = ServerResponse.status(this.status)
			.contentType((this.contentType != null) ? MediaType.parseMediaType(this.contentType)
					: MediaType.APPLICATION_JSON);
		if (this.retryAfter != null) {
			builder.header("retry-after", this.retryAfter);
		}
		return builder.bodyValue(this.body);
	}

}
