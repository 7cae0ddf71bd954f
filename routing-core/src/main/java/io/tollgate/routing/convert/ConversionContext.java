package io.tollgate.routing.convert;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the way back needs to know about the converted request. Immutable; created by
 * {@link RequestConverter} and handed to {@link ResponseConverter} or a new
 * {@link StreamConverter}.
 *
 * @param requestedModel the model the client asked for, echoed in every response (C76)
 * @param messageId the {@code msg_} id of the response (C69); synthetic signatures and
 * fallback tool ids are derived from it, so tests that fix it get deterministic output
 * @param stream whether the client asked for a stream
 * @param stopSequences the request's stop sequences, to recognise which one stopped the
 * upstream (C132)
 * @param toolNames upstream tool name to client tool name, for names shortened or
 * replaced on the way out (C118); names not in the map are the same on both sides
 * @param estimatedInputTokens a rough input size in tokens, used only when the upstream
 * reports no usage
 * @param thinking whether the client asked for thinking blocks, and how they are shown
 * (C129): reasoning an upstream sends anyway is dropped when {@link Thinking#OFF}
 */
public record ConversionContext(String requestedModel, String messageId, boolean stream, List<String> stopSequences,
		Map<String, String> toolNames, int estimatedInputTokens, Thinking thinking) {

	public ConversionContext {
		Objects.requireNonNull(requestedModel, "requestedModel");
		Objects.requireNonNull(messageId, "messageId");
		Objects.requireNonNull(thinking, "thinking");
		stopSequences = List.copyOf(stopSequences);
		toolNames = Map.copyOf(toolNames);
	}

	/**
	 * A context for a request that did not enable thinking.
	 * @param requestedModel the client-facing model
	 * @param messageId the response id
	 * @param stream whether the response is streamed
	 * @param stopSequences the request's stop sequences
	 * @param toolNames upstream tool name to client tool name
	 * @param estimatedInputTokens a rough input size in tokens
	 */
	public ConversionContext(String requestedModel, String messageId, boolean stream, List<String> stopSequences,
			Map<String, String> toolNames, int estimatedInputTokens) {
		this(requestedModel, messageId, stream, stopSequences, toolNames, estimatedInputTokens, Thinking.OFF);
	}

	/**
	 * A context for a request without stop sequences or renamed tools.
	 * @param requestedModel the client-facing model
	 * @param messageId the response id
	 * @param stream whether the response is streamed
	 * @return the context
	 */
	public static ConversionContext of(String requestedModel, String messageId, boolean stream) {
		return new ConversionContext(requestedModel, messageId, stream, List.of(), Map.of(), 0);
	}

	/**
	 * The client's name for a tool the upstream called.
	 * @param upstreamName the name in the upstream response
	 * @return the name the client declared
	 */
	public String clientToolName(String upstreamName) {
		return this.toolNames.getOrDefault(upstreamName, upstreamName);
	}

	/**
	 * The thinking the request asked for ({@code thinking.type} and
	 * {@code thinking.display}).
	 */
	public enum Thinking {

		/** Thinking disabled or not asked for: no thinking blocks. */
		OFF,

		/** Thinking blocks with their text. */
		SHOWN,

		/**
		 * {@code display: "omitted"}: thinking blocks with empty text and their
		 * signature.
		 */
		OMITTED;

		/**
		 * The thinking a Messages request asks for.
		 * @param thinking the request's {@code thinking} object, or {@code null}
		 * @return the mode
		 */
		static Thinking of(tools.jackson.databind.JsonNode thinking) {
			String type = Json.text(thinking, "type");
			if (!"enabled".equals(type) && !"adaptive".equals(type)) {
				return OFF;
			}
			return "omitted".equals(Json.text(thinking, "display")) ? OMITTED : SHOWN;
		}

	}

}
