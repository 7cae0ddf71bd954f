package io.tollgate.billing.directory;

import java.util.Map;

import io.tollgate.billing.price.PriceBook;

/**
 * An immutable picture of the configuration the hot path needs, as of one revision.
 *
 * @param revision the configuration revision it was loaded at
 * @param keysByHash API keys by the SHA-256 of the key
 * @param groups groups by id
 * @param tenants tenants by id
 * @param prices the price book
 * @param spend spend so far and subscriptions, for rebuilding live counters
 */
public record DirectorySnapshot(long revision, Map<String, KeyGrant> keysByHash, Map<Long, GroupView> groups,
		Map<Long, TenantView> tenants, PriceBook prices, SpendBaseline spend, RedactionPolicies redaction) {

	public static final DirectorySnapshot EMPTY = new DirectorySnapshot(-1, Map.of(), Map.of(), Map.of(),
			new PriceBook(java.util.List.of()), SpendBaseline.EMPTY, RedactionPolicies.NONE);

	/** A snapshot without redaction policies. */
	public DirectorySnapshot(long revision, Map<String, KeyGrant> keysByHash, Map<Long, GroupView> groups,
			Map<Long, TenantView> tenants, PriceBook prices, SpendBaseline spend) {
		this(revision, keysByHash, groups, tenants, prices, spend, RedactionPolicies.NONE);
	}

	/** This snapshot with these redaction policies. */
	public DirectorySnapshot withRedaction(RedactionPolicies policies) {
		return new DirectorySnapshot(this.revision, this.keysByHash, this.groups, this.tenants, this.prices, this.spend,
				policies);
	}

}
