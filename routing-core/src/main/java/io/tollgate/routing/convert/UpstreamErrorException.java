package io.tollgate.routing.convert;

import java.util.Objects;

/**
 * A successful HTTP response whose body is an error or has no answer in it. The gateway
 * answers with {@link #error()} as it would for an upstream error status.
 */
public final class UpstreamErrorException extends RuntimeException {

	private final transient AnthropicError error;

	UpstreamErrorException(AnthropicError error) {
		super(error.message(), null, false, false);
		this.error = Objects.requireNonNull(error, "error");
	}

	/** The error to answer with. */
	public AnthropicError error() {
		return this.error;
	}

}
