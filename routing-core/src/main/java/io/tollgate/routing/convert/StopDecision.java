package io.tollgate.routing.convert;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Why the message stopped, in Anthropic's terms (C131, C132, C133, C79): never
 * {@code tool_use} without a tool_use block.
 *
 * @param reason the {@code stop_reason}
 * @param sequence the matched stop sequence, or {@code null}
 * @param refusal the upstream's refusal text for {@code stop_details}, or {@code null}
 * when not a refusal
 */
record StopDecision(String reason, String sequence, String refusal) {

	/**
	 * Maps an OpenAI finish.
	 * @param finishReason {@code finish_reason}, or {@code null} when the upstream gave
	 * none
	 * @param matched vLLM's non-standard {@code choices[].stop_reason}: the stop string
	 * that matched
	 * @param refusal {@code message.refusal} text, or {@code null}
	 * @param hasToolUse whether the content has a tool_use block
	 * @param stopSequences the request's stop sequences
	 */
	static StopDecision of(String finishReason, JsonNode matched, String refusal, boolean hasToolUse,
			List<String> stopSequences) {
		String reason = switch ((finishReason != null) ? finishReason : "") {
			case "length" -> "max_tokens";
			// a tool_use stop without a tool_use block breaks clients: some upstreams say
			// tool_calls for an answer that holds none
			case "tool_calls", "function_call" -> hasToolUse ? "tool_use" : "end_turn";
			case "content_filter" -> "refusal";
			default -> "end_turn";
		};
		if (refusal != null && !"max_tokens".equals(reason)) {
			return new StopDecision("refusal", null, refusal);
		}
		if ("refusal".equals(reason)) {
			return new StopDecision(reason, null, "");
		}
		if (hasToolUse && "end_turn".equals(reason)) {
			return new StopDecision("tool_use", null, null);
		}
		boolean stopString = "stop".equals(finishReason) && matched != null && matched.isString()
				&& stopSequences.contains(matched.stringValue());
		return stopString ? new StopDecision("stop_sequence", matched.stringValue(), null)
				: new StopDecision(reason, null, null);
	}

	/**
	 * Writes {@code stop_reason}, {@code stop_sequence} (always present, C71, C95) and
	 * {@code stop_details}.
	 */
	void writeTo(ObjectNode target) {
		target.put("stop_reason", this.reason);
		if (this.sequence != null) {
			target.put("stop_sequence", this.sequence);
		}
		else {
			target.putNull("stop_sequence");
		}
		if (this.refusal != null) {
			ObjectNode details = target.putObject("stop_details").put("type", "refusal");
			details.putNull("category");
			if (this.refusal.isEmpty()) {
				details.putNull("explanation");
			}
			else {
				details.put("explanation", this.refusal);
			}
		}
	}

}
