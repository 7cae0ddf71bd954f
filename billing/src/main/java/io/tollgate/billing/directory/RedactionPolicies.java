package io.tollgate.billing.directory;

import java.util.Map;

/**
 * The redaction policies set on groups and keys.
 *
 * @param byGroup policies by group id
 * @param byKey policies by key id
 */
public record RedactionPolicies(Map<Long, RedactionPolicy> byGroup, Map<Long, RedactionPolicy> byKey) {

	public static final RedactionPolicies NONE = new RedactionPolicies(Map.of(), Map.of());

	/** The group's policy, or {@link RedactionPolicy#ALLOWED} when it has none. */
	public RedactionPolicy forGroup(long groupId) {
		return this.byGroup.getOrDefault(groupId, RedactionPolicy.ALLOWED);
	}

	/** The key's own policy, or {@code null} when it has none (the group's applies). */
	public RedactionPolicy forKey(long keyId) {
		return this.byKey.get(keyId);
	}

}
