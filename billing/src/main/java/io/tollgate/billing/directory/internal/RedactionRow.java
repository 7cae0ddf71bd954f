package io.tollgate.billing.directory.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.directory.RedactionPolicies;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.internal.JsonColumns;

/** A row of {@code redaction_policy}. */
record RedactionRow(Long groupId, Long keyId, RedactionPolicy policy) {

	static RedactionRow of(Readable row) {
		return new RedactionRow(row.get("group_id", Long.class), row.get("key_id", Long.class),
				new RedactionPolicy(RedactionPolicy.Mode.parse(row.get("mode", String.class)),
						JsonColumns.stringList(row.get("entities", String.class)),
						JsonColumns.stringList(row.get("custom_terms", String.class))));
	}

	static RedactionPolicies policies(List<RedactionRow> rows) {
		Map<Long, RedactionPolicy> byGroup = new HashMap<>();
		Map<Long, RedactionPolicy> byKey = new HashMap<>();
		for (RedactionRow row : rows) {
			if (row.groupId() != null) {
				byGroup.put(row.groupId(), row.policy());
			}
			else if (row.keyId() != null) {
				byKey.put(row.keyId(), row.policy());
			}
		}
		return new RedactionPolicies(Map.copyOf(byGroup), Map.copyOf(byKey));
	}

}
