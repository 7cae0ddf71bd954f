package io.tollgate.billing.directory.internal;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.TenantView;
import io.tollgate.billing.internal.JsonColumns;

record KeyRow(long id, long tenantId, long groupId, String name, String displayPrefix, String hash, String status,
		OffsetDateTime expiresAt, String allowedModels, String ipAllow, Integer concurrencyLimit, Integer rpmLimit,
		Integer tpmLimit, BigDecimal spendQuota) {

	static KeyRow of(Readable row) {
		return new KeyRow(row.get("id", Long.class), row.get("tenant_id", Long.class), row.get("group_id", Long.class),
				row.get("name", String.class), row.get("display_prefix", String.class),
				row.get("key_hash", String.class), row.get("status", String.class),
				row.get("expires_at", OffsetDateTime.class), row.get("allowed_models", String.class),
				row.get("ip_allow", String.class), row.get("concurrency_limit", Integer.class),
				row.get("rpm_limit", Integer.class), row.get("tpm_limit", Integer.class),
				row.get("spend_quota", BigDecimal.class));
	}

	KeyGrant toGrant(TenantView tenant) {
		return new KeyGrant(this.id, this.name, this.displayPrefix, tenant, this.groupId, this.status,
				DirectoryLoader.instant(this.expiresAt),
				new LinkedHashSet<>(JsonColumns.stringList(this.allowedModels)), JsonColumns.stringList(this.ipAllow),
				this.concurrencyLimit, this.rpmLimit, this.tpmLimit, this.spendQuota);
	}

}
