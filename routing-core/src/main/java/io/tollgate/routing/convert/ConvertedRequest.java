package io.tollgate.routing.convert;

import java.util.Objects;

import tools.jackson.databind.node.ObjectNode;

/**
 * The result of {@link RequestConverter#toOpenAi}.
 *
 * @param body the OpenAI Chat Completions request to send; {@code model} is the upstream
 * model. The caller may serialise it but should not change it.
 * @param context what converting the response or stream back needs
 */
public record ConvertedRequest(ObjectNode body, ConversionContext context) {

	public ConvertedRequest {
		Objects.requireNonNull(body, "body");
		Objects.requireNonNull(context, "context");
	}

}
