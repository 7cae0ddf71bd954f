package io.tollgate.billing.tenantuser;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.key.ApiKeys;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens for the tenant API: {@code tgt-} and 40 random characters, stored as
 * SHA-256 hashes, each acting for exactly one tenant. Only the tenant's owner issues and
 * revokes them. They are not inference keys: {@code /v1} refuses them, and the tenant API
 * refuses inference keys.
 */
public class TenantApiTokens {

	/** What every tenant API token starts with. */
	public static final String PREFIX = "tgt-";

	private final AdminSupport support;

	public TenantApiTokens(AdminSupport support) {
		this.support = support;
	}

	/**
	 * Issues a token for the owner's tenant; the secret is in the result and nowhere
	 * else.
	 */
	public Mono<TenantApiToken.Issued> issue(TenantPrincipal by, String name) {
		if (!by.owner()) {
			return Mono.error(AdminException.invalid("Only the tenant's owner may issue API tokens"));
		}
		if (name == null || name.isBlank() || name.length() > 200) {
			return Mono.error(AdminException.invalid("A token name of up to 200 characters is required"));
		}
		String secret = PREFIX + ApiKeys.generate().substring(ApiKeys.PREFIX.length());
		Mono<TenantApiToken> insert = this.support
			.insert(this.support.db()
				.sql("""
						INSERT INTO tenant_api_token (tenant_id, name, display_prefix, token_hash, created_by)
						VALUES (:tenant, :name, :prefix, :hash, :actor)""")
				.bind("tenant", by.tenantId())
				.bind("name", name.trim())
				.bind("prefix", secret.substring(0, 10))
				.bind("hash", ApiKeys.hash(secret))
				.bind("actor", by.actor()))
			.flatMap((id) -> get(by.tenantId(), id));
		return this.support.transactional(insert.flatMap((token) -> this.support
			.audit(by.actor(), "tenant.token.issue", "tenant_api_token", Long.toString(token.id()),
					Map.of("tenant", by.tenantName(), "name", token.name(), "prefix", token.displayPrefix()))
			.thenReturn(token))).map((token) -> new TenantApiToken.Issued(token, secret));
	}

	/**
	 * The principal of a valid token with this secret, if any; notes its use. Only active
	 * tenants' tokens count.
	 */
	public Mono<TenantPrincipal> authenticate(String secret) {
		if (secret == null || !secret.startsWith(PREFIX)) {
			return Mono.empty();
		}
		return this.support.db()
			.sql("""
					SELECT a.id, a.tenant_id, a.name, t.name AS tenant_name FROM tenant_api_token a
					JOIN tenant t ON t.id = a.tenant_id
					WHERE a.token_hash = :hash AND a.revoked_at IS NULL AND t.status = 'active'""")
			.bind("hash", ApiKeys.hash(secret))
			.map((row) -> new Found(row.get("id", Long.class),
					new TenantPrincipal(row.get("tenant_id", Long.class), row.get("tenant_name", String.class), null,
							row.get("name", String.class), TenantPrincipal.TOKEN)))
			.one()
			.flatMap((found) -> this.support.db()
				.sql("UPDATE tenant_api_token SET last_used_at = :at WHERE id = :id")
				.bind("at", AdminSupport.timestamp(Instant.now()))
				.bind("id", found.id())
				.then()
				.thenReturn(found.principal()));
	}

	/** The tokens of the principal's tenant, newest first. */
	public Mono<List<TenantApiToken>> list(TenantPrincipal principal) {
		return this.support.db()
			.sql("SELECT * FROM tenant_api_token WHERE tenant_id = :tenant ORDER BY id DESC")
			.bind("tenant", principal.tenantId())
			.map(TenantApiTokens::token)
			.all()
			.collectList();
	}

	/** Revokes one of the owner's tenant's tokens; another tenant's id is not found. */
	public Mono<TenantApiToken> revoke(TenantPrincipal by, long id) {
		if (!by.owner()) {
			return Mono.error(AdminException.invalid("Only the tenant's owner may revoke API tokens"));
		}
		return this.support.transactional(get(by.tenantId(), id).flatMap((token) -> this.support.db()
			.sql("UPDATE tenant_api_token SET revoked_at = :at WHERE id = :id AND tenant_id = :tenant AND revoked_at IS NULL")
			.bind("at", AdminSupport.timestamp(Instant.now()))
			.bind("id", id)
			.bind("tenant", by.tenantId())
			.then()
			.then(this.support.audit(by.actor(), "tenant.token.revoke", "tenant_api_token", Long.toString(id),
					Map.of("tenant", by.tenantName(), "name", token.name())))
			.then(get(by.tenantId(), id))));
	}

	private Mono<TenantApiToken> get(long tenantId, long id) {
		return this.support.db()
			.sql("SELECT * FROM tenant_api_token WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(TenantApiTokens::token)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Token", id)));
	}

	private static TenantApiToken token(Readable row) {
		return new TenantApiToken(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("name", String.class), row.get("display_prefix", String.class),
				row.get("created_by", String.class), AdminSupport.instant(row, "created_at"),
				AdminSupport.instant(row, "last_used_at"), AdminSupport.instant(row, "revoked_at"));
	}

	private record Found(long id, TenantPrincipal principal) {
	}

}
