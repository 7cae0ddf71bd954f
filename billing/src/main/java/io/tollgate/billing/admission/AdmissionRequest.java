package io.tollgate.billing.admission;

import java.time.Instant;

import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;

/**
 * A request asking to go upstream.
 *
 * @param grant the key's grant
 * @param group the key's group
 * @param upstreamModel the model that will be priced
 * @param inputTokenBound a bound of its input tokens, from the tokenizer's count
 * @param maxOutputTokens its {@code max_tokens}
 * @param at when it arrived
 */
public record AdmissionRequest(KeyGrant grant, GroupView group, String upstreamModel, long inputTokenBound,
		long maxOutputTokens, Instant at) {

}
