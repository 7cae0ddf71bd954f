package io.tollgate.billing.directory.internal;

import io.r2dbc.spi.Readable;

record MemberRow(long groupId, long accountId, Integer priority, Integer weight) {

	static MemberRow of(Readable row) {
		return new MemberRow(row.get("group_id", Long.class), row.get("account_id", Long.class),
				row.get("priority", Integer.class), row.get("weight", Integer.class));
	}

}
