package io.tollgate.routing.request;

import io.tollgate.routing.json.JsonStrings;
import java.io.ByteArrayOutputStream;

import tools.jackson.databind.JsonNode;

/**
 * What Tollgate needs to know of a Messages request without building a tree of it, and
 * where its {@code model} and {@code gateway} members sit in the original bytes so the
 * body can be forwarded byte-faithfully.
 *
 * @param body the request as the client sent it
 * @param model the requested model
 * @param stream whether the client asked for server-sent events
 * @param maxTokens {@code max_tokens}, or {@code -1} when absent (count_tokens)
 * @param metadataUserId {@code metadata.user_id}, or {@code null}
 * @param thinking whether {@code thinking} asks for reasoning (enabled or adaptive)
 * @param images whether a message carries an image
 * @param gateway the gateway-only routing options, or {@code null}
 * @param opening the bytes of the first message, the start of the conversation
 * @param modelSpan where the model's JSON string value sits
 * @param gatewaySpan the bytes to cut to remove the {@code gateway} member, or
 * {@code null}
 */
public record ScannedRequest(byte[] body, String model, boolean stream, long maxTokens, String metadataUserId,
		boolean thinking, boolean images, JsonNode gateway, Span opening, Span modelSpan, Span gatewaySpan) {

	/**
	 * The body to send upstream: the client's bytes with only the model replaced and the
	 * gateway-only member removed.
	 * @param upstreamModel the model the upstream should run
	 * @return the rewritten body
	 */
	public byte[] forwardBody(String upstreamModel) {
		boolean sameModel = upstreamModel.equals(this.model);
		if (sameModel && this.gatewaySpan == null) {
			return this.body;
		}
		byte[] quoted = sameModel ? null : JsonStrings.quote(upstreamModel);
		ByteArrayOutputStream out = new ByteArrayOutputStream(this.body.length + 32);
		Span first = this.modelSpan;
		Span second = this.gatewaySpan;
		if (second != null && second.start() < first.start()) {
			first = this.gatewaySpan;
			second = this.modelSpan;
		}
		int pos = 0;
		for (Span span : new Span[] { first, second }) {
			if (span == null) {
				continue;
			}
			out.write(this.body, pos, span.start() - pos);
			if (span == this.modelSpan) {
				out.writeBytes((quoted != null) ? quoted : slice(span));
			}
			pos = span.end();
		}
		out.write(this.body, pos, this.body.length - pos);
		return out.toByteArray();
	}

	/** The bytes of a span of the original body. */
	public byte[] slice(Span span) {
		return java.util.Arrays.copyOfRange(this.body, span.start(), span.end());
	}

	/** A range of bytes, start inclusive, end exclusive. */
	public record Span(int start, int end) {
	}

}
