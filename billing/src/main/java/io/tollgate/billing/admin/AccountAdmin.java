package io.tollgate.billing.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.directory.Secret;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.JsonColumns;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Adds and edits upstream accounts. Credentials are encrypted before they are stored and
 * never returned, only a masked hint.
 */
public class AccountAdmin {

	private final AdminSupport support;

	private final CredentialCipher cipher;

	public AccountAdmin(AdminSupport support, CredentialCipher cipher) {
		this.support = support;
		this.cipher = cipher;
	}

	/** Every account, by name. */
	public Mono<List<Account>> list() {
		return this.support.db()
			.sql("SELECT * FROM upstream_account ORDER BY name")
			.map(this::account)
			.all()
			.collectList();
	}

	/** One account, or an error when it does not exist. */
	public Mono<Account> get(long id) {
		return this.support.db()
			.sql("SELECT * FROM upstream_account WHERE id = :id")
			.bind("id", id)
			.map(this::account)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Account", id)));
	}

	/** Adds an account; the credential is required. */
	public Mono<Account> create(String name, String credential, Account.Settings settings, String actor) {
		String accountName = Validation.name(name, "Account name");
		if (credential == null || credential.isBlank()) {
			throw AdminException.invalid("Credential is required");
		}
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("""
					INSERT INTO upstream_account (name, platform, base_url, credential_enc, models, model_mapping,
					    supports_count_tokens, concurrency_limit, priority, weight, status)
					VALUES (:name, :platform, :baseUrl, :credential, :models, :mapping, :countTokens, :concurrency,
					    :priority, :weight, :status)""")
			.bind("name", accountName)
			.bind("credential", this.cipher.encrypt(credential.trim()))
			.bind("countTokens", "anthropic".equalsIgnoreCase(settings.platform()));
		return this.support
			.change(Validation.unique(this.support.insert(settings(sql, settings)), "account", accountName)
				.flatMap(this::get), actor, "account.create", "account", AccountAdmin::detail);
	}

	/** Edits an account; a blank credential keeps the stored one. */
	public Mono<Account> update(long id, String name, String credential, Account.Settings settings, String actor) {
		String accountName = Validation.name(name, "Account name");
		boolean replace = credential != null && !credential.isBlank();
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("UPDATE upstream_account SET name = :name, platform = :platform, base_url = :baseUrl, "
					+ (replace ? "credential_enc = :credential, " : "")
					+ "models = :models, model_mapping = :mapping, concurrency_limit = :concurrency, "
					+ "priority = :priority, weight = :weight, status = :status WHERE id = :id")
			.bind("name", accountName)
			.bind("id", id);
		if (replace) {
			sql = sql.bind("credential", this.cipher.encrypt(credential.trim()));
		}
		DatabaseClient.GenericExecuteSpec update = settings(sql, settings);
		return this.support.change(get(id).then(update.then()).then(get(id)), actor, "account.update", "account",
				(account) -> {
					Map<String, Object> detail = detail(account);
					detail.put("credentialReplaced", replace);
					return detail;
				});
	}

	/** What a connection test needs, for an existing account. */
	public Mono<Account.Connection> connection(long id) {
		return this.support.db()
			.sql("SELECT platform, base_url, credential_enc FROM upstream_account WHERE id = :id")
			.bind("id", id)
			.map((row) -> new Account.Connection(row.get("platform", String.class), row.get("base_url", String.class),
					new Secret(this.cipher.decrypt(row.get("credential_enc", String.class)))))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Account", id)));
	}

	private static DatabaseClient.GenericExecuteSpec settings(DatabaseClient.GenericExecuteSpec sql,
			Account.Settings settings) {
		String baseUrl = (settings.baseUrl() != null) ? settings.baseUrl().trim() : "";
		if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
			throw AdminException.invalid("Base URL must start with http:// or https://");
		}
		sql = sql.bind("platform", Validation.oneOf(settings.platform(), "Platform", "anthropic", "openai"))
			.bind("baseUrl", baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
			.bind("priority", (settings.priority() != null) ? settings.priority() : 0)
			.bind("weight", (settings.weight() != null) ? Validation.positive(settings.weight(), "Weight") : 1)
			.bind("status", Validation.oneOf((settings.status() != null) ? settings.status() : "active", "Status",
					"active", "disabled"));
		sql = Binds.nullable(sql, "models", JsonColumns.write(settings.models()), String.class);
		sql = Binds.nullable(sql, "mapping", JsonColumns.write(settings.modelMapping()), String.class);
		return Binds.nullable(sql, "concurrency", Validation.positive(settings.concurrencyLimit(), "Concurrency"),
				Integer.class);
	}

	static Map<String, Object> detail(Account account) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", account.id());
		detail.put("name", account.name());
		detail.put("platform", account.settings().platform());
		detail.put("baseUrl", account.settings().baseUrl());
		detail.put("models", account.settings().models());
		detail.put("priority", account.settings().priority());
		detail.put("weight", account.settings().weight());
		detail.put("concurrency", account.settings().concurrencyLimit());
		detail.put("status", account.settings().status());
		return detail;
	}

	private Account account(Readable row) {
		String credential = this.cipher.decrypt(row.get("credential_enc", String.class));
		String hint = "••••" + ((credential.length() > 12) ? credential.substring(credential.length() - 4) : "");
		return new Account(row.get("id", Long.class), row.get("name", String.class), hint,
				new Account.Settings(row.get("platform", String.class), row.get("base_url", String.class),
						JsonColumns.stringList(row.get("models", String.class)),
						JsonColumns.stringMap(row.get("model_mapping", String.class)),
						row.get("concurrency_limit", Integer.class), row.get("priority", Integer.class),
						row.get("weight", Integer.class), row.get("status", String.class)),
				AdminSupport.instant(row, "created_at"));
	}

}
