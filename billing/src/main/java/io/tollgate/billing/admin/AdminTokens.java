package io.tollgate.billing.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.key.ApiKeys;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens for the admin API: {@code tga-} and 40 random characters, stored as
 * SHA-256 hashes, each with a role.
 */
public class AdminTokens {

	/** What every admin token starts with. */
	public static final String PREFIX = "tga-";

	private final AdminSupport support;

	public AdminTokens(AdminSupport support) {
		this.support = support;
	}

	/** Issues a token; the secret is in the result and nowhere else. */
	public Mono<AdminToken.Issued> issue(String name, String role, String actor) {
		String tokenName = Validation.name(name, "Token name");
		String tokenRole = Validation.oneOf(role, "Role", "admin", "finance").toUpperCase(Locale.ROOT);
		String secret = PREFIX + ApiKeys.generate().substring(ApiKeys.PREFIX.length());
		Mono<AdminToken> insert = this.support
			.insert(this.support.db()
				.sql("""
						INSERT INTO admin_token (name, display_prefix, token_hash, role, created_by)
						VALUES (:name, :prefix, :hash, :role, :actor)""")
				.bind("name", tokenName)
				.bind("prefix", secret.substring(0, 10))
				.bind("hash", ApiKeys.hash(secret))
				.bind("role", tokenRole)
				.bind("actor", actor))
			.flatMap(this::get);
		return this.support.transactional(insert.flatMap((token) -> this.support
			.audit(actor, "token.issue", "admin_token", Long.toString(token.id()),
					Map.of("name", token.name(), "role", token.role(), "prefix", token.displayPrefix()))
			.thenReturn(token))).map((token) -> new AdminToken.Issued(token, secret));
	}

	/**
	 * The valid token with this secret, if any; notes its use.
	 * @param secret the bearer secret
	 * @return the token, or empty
	 */
	public Mono<AdminToken> authenticate(String secret) {
		if (secret == null || !secret.startsWith(PREFIX)) {
			return Mono.empty();
		}
		return this.support.db()
			.sql("SELECT * FROM admin_token WHERE token_hash = :hash AND revoked_at IS NULL")
			.bind("hash", ApiKeys.hash(secret))
			.map(AdminTokens::token)
			.one()
			.flatMap((token) -> this.support.db()
				.sql("UPDATE admin_token SET last_used_at = :at WHERE id = :id")
				.bind("at", AdminSupport.timestamp(Instant.now()))
				.bind("id", token.id())
				.then()
				.thenReturn(token));
	}

	/** Every token, newest first. */
	public Mono<List<AdminToken>> list() {
		return this.support.db()
			.sql("SELECT * FROM admin_token ORDER BY id DESC")
			.map(AdminTokens::token)
			.all()
			.collectList();
	}

	/** Revokes a token. */
	public Mono<AdminToken> revoke(long id, String actor) {
		return this.support.transactional(get(id).flatMap((token) -> this.support.db()
			.sql("UPDATE admin_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
			.bind("at", AdminSupport.timestamp(Instant.now()))
			.bind("id", id)
			.then()
			.then(this.support.audit(actor, "token.revoke", "admin_token", Long.toString(id),
					Map.of("name", token.name())))
			.then(get(id))));
	}

	private Mono<AdminToken> get(long id) {
		return this.support.db()
			.sql("SELECT * FROM admin_token WHERE id = :id")
			.bind("id", id)
			.map(AdminTokens::token)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Token", id)));
	}

	private static AdminToken token(Readable row) {
		return new AdminToken(row.get("id", Long.class), row.get("name", String.class),
				row.get("display_prefix", String.class), row.get("role", String.class),
				row.get("created_by", String.class), AdminSupport.instant(row, "created_at"),
				AdminSupport.instant(row, "last_used_at"), AdminSupport.instant(row, "revoked_at"));
	}

}
