package io.tollgate.billing.alerts.internal;

import java.math.BigDecimal;
import java.util.List;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.alerts.AlertRule;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/** Reads rules from the database. */
public class AlertRules {

	static final String SELECT = "SELECT r.id, r.tenant_id, r.endpoint_id, r.kind, r.threshold, r.unit, r.enabled, "
			+ "r.created_at FROM alert_rule r";

	private final DatabaseClient db;

	public AlertRules(DatabaseClient db) {
		this.db = db;
	}

	/** The enabled rules whose endpoint is enabled. */
	public Mono<List<AlertRule>> active() {
		return this.db
			.sql(SELECT + " JOIN alert_endpoint e ON e.id = r.endpoint_id WHERE r.enabled AND e.enabled "
					+ "ORDER BY r.id")
			.map(AlertRules::rule)
			.all()
			.collectList();
	}

	/** Every rule, or a tenant's only. */
	public Mono<List<AlertRule>> list(Long tenantId) {
		DatabaseClient.GenericExecuteSpec sql = (tenantId != null)
				? this.db.sql(SELECT + " WHERE r.tenant_id = :tenant ORDER BY r.id").bind("tenant", tenantId)
				: this.db.sql(SELECT + " ORDER BY r.id");
		return sql.map(AlertRules::rule).all().collectList();
	}

	/** One rule. */
	public Mono<AlertRule> get(long id) {
		return this.db.sql(SELECT + " WHERE r.id = :id").bind("id", id).map(AlertRules::rule).one();
	}

	public static AlertRule rule(Readable row) {
		return new AlertRule(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("endpoint_id", Long.class), AlertKind.parse(row.get("kind", String.class)),
				row.get("threshold", BigDecimal.class), row.get("unit", String.class),
				row.get("enabled", Boolean.class), AdminSupport.instant(row, "created_at"));
	}

}
