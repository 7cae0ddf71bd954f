package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.JsonColumns;
import io.tollgate.billing.key.ApiKeys;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Issues, edits and revokes tenant API keys. Secrets are generated here, returned once
 * and stored only as hashes.
 */
public class KeyAdmin {

	private static final String SELECT = """
			SELECT k.*, t.name AS tenant_name, g.name AS group_name FROM api_key k
			JOIN tenant t ON t.id = k.tenant_id JOIN api_group g ON g.id = k.group_id""";

	private final AdminSupport support;

	public KeyAdmin(AdminSupport support) {
		this.support = support;
	}

	/**
	 * Keys, newest first.
	 * @param tenantId only this tenant's keys, or {@code null} for all
	 * @return the keys
	 */
	public Mono<List<ApiKeyInfo>> list(Long tenantId) {
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql(SELECT + ((tenantId != null) ? " WHERE k.tenant_id = :tenant" : "") + " ORDER BY k.id DESC");
		if (tenantId != null) {
			sql = sql.bind("tenant", tenantId);
		}
		return sql.map(KeyAdmin::key).all().collectList();
	}

	/** One key, or an error when it does not exist. */
	public Mono<ApiKeyInfo> get(long id) {
		return this.support.db()
			.sql(SELECT + " WHERE k.id = :id")
			.bind("id", id)
			.map(KeyAdmin::key)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Key", id)));
	}

	/**
	 * Issues a new key for a tenant.
	 * @param tenantId the tenant
	 * @param name key name, unique per tenant
	 * @param settings its settings
	 * @param actor who issues it
	 * @return the key with its secret, shown once
	 */
	public Mono<ApiKeyInfo.Issued> issue(long tenantId, String name, ApiKeyInfo.Settings settings, String actor) {
		String keyName = Validation.name(name, "Key name");
		String secret = ApiKeys.generate();
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("""
					INSERT INTO api_key (tenant_id, group_id, name, display_prefix, key_hash, status, expires_at,
					    allowed_models, ip_allow, concurrency_limit, rpm_limit, tpm_limit, spend_quota)
					VALUES (:tenant, :group, :name, :prefix, :hash, 'active', :expires, :models, :ips, :concurrency,
					    :rpm, :tpm, :quota)""")
			.bind("tenant", tenantId)
			.bind("name", keyName)
			.bind("prefix", ApiKeys.displayPrefix(secret))
			.bind("hash", ApiKeys.hash(secret));
		Mono<ApiKeyInfo> insert = Mono.zip(exists("tenant", tenantId), exists("api_group", settings.groupId()))
			.then(Validation.unique(this.support.insert(settings(sql, settings)), "key", keyName))
			.flatMap(this::get);
		return this.support.change(insert, actor, "key.issue", "api_key", KeyAdmin::detail)
			.map((key) -> new ApiKeyInfo.Issued(key, secret));
	}

	/** Changes a key's group, limits, models, expiry or addresses. */
	public Mono<ApiKeyInfo> update(long id, ApiKeyInfo.Settings settings, String actor) {
		DatabaseClient.GenericExecuteSpec sql = this.support.db().sql("""
				UPDATE api_key SET group_id = :group, expires_at = :expires, allowed_models = :models,
				    ip_allow = :ips, concurrency_limit = :concurrency, rpm_limit = :rpm, tpm_limit = :tpm,
				    spend_quota = :quota WHERE id = :id""").bind("id", id);
		return this.support.change(get(id).then(exists("api_group", settings.groupId()))
			.then(settings(sql, settings).then())
			.then(get(id)), actor, "key.update", "api_key", KeyAdmin::detail);
	}

	/** Revokes a key: every node refuses it within seconds. */
	public Mono<ApiKeyInfo> revoke(long id, String actor) {
		return this.support.change(get(id)
			.then(this.support.db().sql("UPDATE api_key SET status = 'revoked' WHERE id = :id").bind("id", id).then())
			.then(get(id)), actor, "key.revoke", "api_key", KeyAdmin::detail);
	}

	private Mono<Long> exists(String table, long id) {
		return this.support.db()
			.sql("SELECT id FROM " + table + " WHERE id = :id")
			.bind("id", id)
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound(table.equals("tenant") ? "Tenant" : "Group", id)));
	}

	private static DatabaseClient.GenericExecuteSpec settings(DatabaseClient.GenericExecuteSpec sql,
			ApiKeyInfo.Settings settings) {
		sql = sql.bind("group", settings.groupId());
		sql = Binds.nullable(sql, "expires", AdminSupport.timestamp(settings.expiresAt()),
				java.time.OffsetDateTime.class);
		sql = Binds.nullable(sql, "models", JsonColumns.write(settings.allowedModels()), String.class);
		sql = Binds.nullable(sql, "ips", JsonColumns.write(settings.ipAllow()), String.class);
		sql = Binds.nullable(sql, "concurrency", Validation.positive(settings.concurrencyLimit(), "Concurrency"),
				Integer.class);
		sql = Binds.nullable(sql, "rpm", Validation.positive(settings.rpmLimit(), "Requests per minute"),
				Integer.class);
		sql = Binds.nullable(sql, "tpm", Validation.positive(settings.tpmLimit(), "Tokens per minute"), Integer.class);
		return Binds.nullable(sql, "quota", Validation.nonNegative(settings.spendQuota(), "Spend quota"),
				BigDecimal.class);
	}

	static Map<String, Object> detail(ApiKeyInfo key) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", key.id());
		detail.put("tenant", key.tenantName());
		detail.put("name", key.name());
		detail.put("prefix", key.displayPrefix());
		detail.put("status", key.status());
		detail.put("group", key.groupName());
		detail.put("expiresAt", (key.settings().expiresAt() != null) ? key.settings().expiresAt().toString() : null);
		detail.put("allowedModels", key.settings().allowedModels());
		detail.put("ipAllow", key.settings().ipAllow());
		detail.put("concurrency", key.settings().concurrencyLimit());
		detail.put("rpm", key.settings().rpmLimit());
		detail.put("tpm", key.settings().tpmLimit());
		detail.put("spendQuota", key.settings().spendQuota());
		return detail;
	}

	static ApiKeyInfo key(Readable row) {
		ApiKeyInfo.Settings settings = new ApiKeyInfo.Settings(row.get("group_id", Long.class),
				AdminSupport.instant(row, "expires_at"),
				JsonColumns.stringList(row.get("allowed_models", String.class)),
				JsonColumns.stringList(row.get("ip_allow", String.class)), row.get("concurrency_limit", Integer.class),
				row.get("rpm_limit", Integer.class), row.get("tpm_limit", Integer.class),
				row.get("spend_quota", BigDecimal.class));
		return new ApiKeyInfo(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("tenant_name", String.class), row.get("group_id", Long.class),
				row.get("group_name", String.class), row.get("name", String.class),
				row.get("display_prefix", String.class), row.get("status", String.class),
				row.get("spent", BigDecimal.class), settings, AdminSupport.instant(row, "created_at"));
	}

}
