package io.tollgate.billing.directory.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.directory.AdmissionPolicy;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.internal.JsonColumns;

record GroupRow(long id, String name, String platform, String billingMode, BigDecimal multiplier, String modelMapping,
		int stickyTtlSeconds, boolean balanceFallback, boolean estimateCountTokens, String admissionPolicy,
		String routerModel, String intentDefaults) {

	static GroupRow of(Readable row) {
		return new GroupRow(row.get("id", Long.class), row.get("name", String.class), row.get("platform", String.class),
				row.get("billing_mode", String.class), row.get("multiplier", BigDecimal.class),
				row.get("model_mapping", String.class), row.get("sticky_ttl_seconds", Integer.class),
				row.get("balance_fallback", Boolean.class), row.get("estimate_count_tokens", Boolean.class),
				row.get("admission_policy", String.class), row.get("router_model", String.class),
				row.get("intent_defaults", String.class));
	}

	GroupView toView(List<GroupView.Member> members) {
		return new GroupView(this.id, this.name, Platform.parse(this.platform), BillingMode.parse(this.billingMode),
				this.multiplier, JsonColumns.stringMap(this.modelMapping), Duration.ofSeconds(this.stickyTtlSeconds),
				this.balanceFallback, this.estimateCountTokens, members,
				(this.admissionPolicy != null) ? AdmissionPolicy.parse(this.admissionPolicy) : null, this.routerModel,
				this.intentDefaults);
	}

}
