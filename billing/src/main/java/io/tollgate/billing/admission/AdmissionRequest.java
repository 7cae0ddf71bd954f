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
 * @param inputTokenBound an upper bound of its input tokens
 * @param maxOutputTokens its {@code max_tokens}
 * @param at when it arrived
 */
public record AdmissionRequest(KeyGrant grant, GroupView group, String upstreamModel, long inputTokenBound,
		long maxOutputTokens, Instant at) {

	/**
	 * An upper bound of the input tokens of a request body: one token per two bytes, plus
	 * room for the system prompt the upstream adds for tools.
	 * @param bodyBytes the size of the request body
	 * @return the bound
	 */
	public static long inputBound(int bodyBytes) {
		return bodyBytes / 2L + 1024;
	}

}
