package io.tollgate.billing.tenantview;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Mono;

/**
 * A tenant's own inference keys: list, issue, rename, limit and revoke them, always
 * within its own tenant (another tenant's key id is simply not found) and within what the
 * admin granted it ({@link KeyCeiling}). Every change is audited with the tenant user as
 * actor.
 */
public class TenantKeys {

	private final AdminSupport support;

	private final KeyAdmin keys;

	public TenantKeys(AdminSupport support, KeyAdmin keys) {
		this.support = support;
		this.keys = keys;
	}

	/** The tenant's keys, newest first. */
	public Mono<List<ApiKeyInfo>> list(TenantPrincipal principal) {
		return this.keys.list(principal.tenantId());
	}

	/** One of the tenant's keys; another tenant's is not found. */
	public Mono<ApiKeyInfo> get(TenantPrincipal principal, long id) {
		return this.support.db()
			.sql("SELECT id FROM api_key WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", principal.tenantId())
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Key", id)))
			.flatMap(this.keys::get);
	}

	/** What the tenant's keys may be given. */
	public Mono<KeyCeiling> ceiling(TenantPrincipal principal) {
		Mono<Map<Long, String>> groups = this.support.db()
			.sql("""
					SELECT g.id, g.name FROM api_group g WHERE g.id IN (
					    SELECT k.group_id FROM api_key k WHERE k.tenant_id = :tenant
					    UNION SELECT p.group_id FROM subscription s JOIN plan p ON p.id = s.plan_id
					    WHERE s.tenant_id = :tenant AND s.status = 'active')
					ORDER BY g.name""")
			.bind("tenant", principal.tenantId())
			.map((row) -> Map.entry(row.get("id", Long.class), row.get("name", String.class)))
			.all()
			.collectList()
			.map((entries) -> {
				Map<Long, String> map = new LinkedHashMap<>();
				entries.forEach((entry) -> map.put(entry.getKey(), entry.getValue()));
				return map;
			});
		return groups.flatMap((allowed) -> this.support.db()
			.sql("SELECT default_concurrency, default_rpm, default_tpm FROM tenant WHERE id = :id")
			.bind("id", principal.tenantId())
			.map((row) -> new KeyCeiling(allowed, row.get("default_concurrency", Integer.class),
					row.get("default_rpm", Integer.class), row.get("default_tpm", Integer.class)))
			.one());
	}

	/** Issues a key; the secret is in the result and nowhere else. */
	public Mono<ApiKeyInfo.Issued> issue(TenantPrincipal principal, String name, KeyRequest request) {
		return within(principal, request, List.of())
			.flatMap((settings) -> this.keys.issue(principal.tenantId(), name, settings, principal.actor()));
	}

	/**
	 * Changes a key's group, limits, models or expiry (its address list stays as set).
	 */
	public Mono<ApiKeyInfo> update(TenantPrincipal principal, long id, KeyRequest request) {
		return get(principal, id).flatMap((key) -> within(principal, request, key.settings().ipAllow()))
			.flatMap((settings) -> this.keys.update(id, settings, principal.actor()));
	}

	/** Renames a key. */
	public Mono<ApiKeyInfo> rename(TenantPrincipal principal, long id, String name) {
		if (name == null || name.isBlank() || name.length() > 200) {
			return Mono.error(AdminException.invalid("A key name of up to 200 characters is required"));
		}
		Mono<ApiKeyInfo> rename = get(principal, id).flatMap((key) -> this.support.db()
			.sql("UPDATE api_key SET name = :name WHERE id = :id AND tenant_id = :tenant")
			.bind("name", name.trim())
			.bind("id", id)
			.bind("tenant", principal.tenantId())
			.then()
			.onErrorMap(org.springframework.dao.DataIntegrityViolationException.class,
					(ex) -> AdminException.invalid("A key named '" + name.trim() + "' already exists"))
			.then(this.keys.get(id)));
		return this.support.change(rename, principal.actor(), "key.rename", "api_key",
				(key) -> Map.of("id", key.id(), "tenant", key.tenantName(), "name", key.name()));
	}

	/** Revokes a key: every node refuses it within seconds. */
	public Mono<ApiKeyInfo> revoke(TenantPrincipal principal, long id) {
		return get(principal, id).then(this.keys.revoke(id, principal.actor()));
	}

	private Mono<ApiKeyInfo.Settings> within(TenantPrincipal principal, KeyRequest request, List<String> ipAllow) {
		return ceiling(principal).map((ceiling) -> {
			if (!ceiling.groups().containsKey(request.groupId())) {
				throw AdminException.invalid("The group must be one of your tenant's: " + ceiling.groups().values());
			}
			atMost(request.concurrencyLimit(), ceiling.concurrency(), "Concurrency");
			atMost(request.rpmLimit(), ceiling.rpm(), "Requests per minute");
			atMost(request.tpmLimit(), ceiling.tpm(), "Tokens per minute");
			return new ApiKeyInfo.Settings(request.groupId(), request.expiresAt(), request.allowedModels(), ipAllow,
					request.concurrencyLimit(), request.rpmLimit(), request.tpmLimit(), request.spendQuota());
		});
	}

	private static void atMost(Integer value, Integer ceiling, String what) {
		if (value != null && ceiling != null && value > ceiling) {
			throw AdminException.invalid(what + " may be at most " + ceiling + ", your tenant's limit");
		}
	}

}
