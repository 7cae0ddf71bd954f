package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.internal.Binds;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Creates, edits, suspends and lists tenants.
 */
public class TenantAdmin {

	private final AdminSupport support;

	public TenantAdmin(AdminSupport support) {
		this.support = support;
	}

	/** Every tenant, by name. */
	public Mono<List<Tenant>> list() {
		return this.support.db().sql("SELECT * FROM tenant ORDER BY name").map(TenantAdmin::tenant).all().collectList();
	}

	/** One tenant, or an error when it does not exist. */
	public Mono<Tenant> get(long id) {
		return this.support.db()
			.sql("SELECT * FROM tenant WHERE id = :id")
			.bind("id", id)
			.map(TenantAdmin::tenant)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Tenant", id)));
	}

	/** Creates a tenant with a zero balance. */
	public Mono<Tenant> create(Tenant.Form form, String actor) {
		String name = Validation.name(form.name(), "Tenant name");
		DatabaseClient.GenericExecuteSpec sql = this.support.db().sql("""
				INSERT INTO tenant (name, status, default_concurrency, default_rpm, default_tpm, max_concurrency)
				VALUES (:name, 'active', :concurrency, :rpm, :tpm, :max)""").bind("name", name);
		sql = limits(sql, form);
		return this.support.change(Validation.unique(this.support.insert(sql), "tenant", name)
			.flatMap((id) -> overdraftLimit(id, form).thenReturn(id))
			.flatMap(this::get), actor, "tenant.create", "tenant", TenantAdmin::detail);
	}

	/** Renames a tenant or changes its default limits. */
	public Mono<Tenant> update(long id, Tenant.Form form, String actor) {
		String name = Validation.name(form.name(), "Tenant name");
		DatabaseClient.GenericExecuteSpec sql = this.support.db().sql("""
				UPDATE tenant SET name = :name, default_concurrency = :concurrency, default_rpm = :rpm,
				    default_tpm = :tpm, max_concurrency = :max WHERE id = :id""").bind("name", name).bind("id", id);
		sql = limits(sql, form);
		return this.support.change(sql.fetch().rowsUpdated().then(overdraftLimit(id, form)).then(get(id)), actor,
				"tenant.update", "tenant", TenantAdmin::detail);
	}

	private Mono<Void> overdraftLimit(long id, Tenant.Form form) {
		if (form.overdraftLimit() != null && form.overdraftLimit().signum() < 0) {
			throw AdminException.invalid("Overdraft limit must not be negative");
		}
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("UPDATE tenant SET overdraft_limit = :limit WHERE id = :id")
			.bind("id", id);
		return Binds.nullable(sql, "limit", form.overdraftLimit(), BigDecimal.class).then();
	}

	/** Suspends ({@code suspended}) or reactivates ({@code active}) a tenant. */
	public Mono<Tenant> setStatus(long id, String status, String actor) {
		String value = Validation.oneOf(status, "status", "active", "suspended");
		return this.support.change(
				get(id)
					.then(this.support.db()
						.sql("UPDATE tenant SET status = :status WHERE id = :id")
						.bind("status", value)
						.bind("id", id)
						.then())
					.then(get(id)),
				actor, "tenant." + (value.equals("active") ? "activate" : "suspend"), "tenant", TenantAdmin::detail);
	}

	private static DatabaseClient.GenericExecuteSpec limits(DatabaseClient.GenericExecuteSpec sql, Tenant.Form form) {
		sql = Binds.nullable(sql, "concurrency", Validation.positive(form.defaultConcurrency(), "Concurrency"),
				Integer.class);
		sql = Binds.nullable(sql, "rpm", Validation.positive(form.defaultRpm(), "Requests per minute"), Integer.class);
		sql = Binds.nullable(sql, "tpm", Validation.positive(form.defaultTpm(), "Tokens per minute"), Integer.class);
		return Binds.nullable(sql, "max", Validation.positive(form.maxConcurrency(), "Tenant concurrency"),
				Integer.class);
	}

	static Map<String, Object> detail(Tenant tenant) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", tenant.id());
		detail.put("name", tenant.name());
		detail.put("status", tenant.status());
		detail.put("defaultConcurrency", tenant.defaultConcurrency());
		detail.put("defaultRpm", tenant.defaultRpm());
		detail.put("defaultTpm", tenant.defaultTpm());
		detail.put("maxConcurrency", tenant.maxConcurrency());
		detail.put("overdraftLimit", tenant.overdraftLimit());
		return detail;
	}

	static Tenant tenant(Readable row) {
		return new Tenant(row.get("id", Long.class), row.get("name", String.class), row.get("status", String.class),
				row.get("balance", BigDecimal.class), row.get("default_concurrency", Integer.class),
				row.get("default_rpm", Integer.class), row.get("default_tpm", Integer.class),
				row.get("max_concurrency", Integer.class), AdminSupport.instant(row, "created_at"),
				row.get("overdraft_limit", BigDecimal.class));
	}

}
