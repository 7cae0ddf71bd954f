package io.tollgate.billing.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import io.tollgate.billing.bootstrap.BootstrapFile.AccountSpec;
import io.tollgate.billing.bootstrap.BootstrapFile.GroupSpec;
import io.tollgate.billing.bootstrap.BootstrapFile.KeySpec;
import io.tollgate.billing.bootstrap.BootstrapFile.MemberSpec;
import io.tollgate.billing.bootstrap.BootstrapFile.PriceSpec;
import io.tollgate.billing.bootstrap.BootstrapFile.TenantSpec;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.directory.AdmissionPolicy;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.IntentSettings;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.ConfigRevision;
import io.tollgate.billing.internal.JsonColumns;
import io.tollgate.billing.key.ApiKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Applies a {@link BootstrapFile} to the database: creates what is missing and updates
 * what exists, matched by name, in one transaction. Safe to run at every start.
 */
public class BootstrapImporter {

	private static final YAMLMapper YAML = YAMLMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final CredentialCipher cipher;

	private final PropertyResolver placeholders;

	public BootstrapImporter(DatabaseClient db, TransactionalOperator transactions, CredentialCipher cipher,
			PropertyResolver placeholders) {
		this.db = db;
		this.transactions = transactions;
		this.cipher = cipher;
		this.placeholders = placeholders;
	}

	/**
	 * Reads a bootstrap file, resolving {@code ${...}} placeholders from the environment.
	 * @param file the YAML file
	 * @return its content
	 */
	public BootstrapFile read(Path file) {
		try {
			String text = this.placeholders.resolveRequiredPlaceholders(Files.readString(file));
			return YAML.readValue(text, BootstrapFile.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read bootstrap file " + file, ex);
		}
	}

	public Mono<Void> apply(BootstrapFile file) {
		return Flux.fromIterable(file.tenants())
			.concatMap(this::tenant)
			.thenMany(Flux.fromIterable(file.accounts()).concatMap(this::account))
			.thenMany(Flux.fromIterable(file.groups()).concatMap(this::group))
			.thenMany(Flux.fromIterable(file.prices()).concatMap(this::price))
			.thenMany(Flux.fromIterable(file.keys()).concatMap(this::key))
			.then(ConfigRevision.bump(this.db))
			.as(this.transactions::transactional);
	}

	private Mono<Void> tenant(TenantSpec spec) {
		return idOf("tenant", spec.name()).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((id) -> {
			DatabaseClient.GenericExecuteSpec sql = this.db.sql(id.isPresent() ? """
					UPDATE tenant SET status = :status, default_concurrency = :concurrency, default_rpm = :rpm
					WHERE name = :name""" : """
					INSERT INTO tenant (name, status, default_concurrency, default_rpm)
					VALUES (:name, :status, :concurrency, :rpm)""")
				.bind("name", spec.name())
				.bind("status", orDefault(spec.status(), "active"));
			sql = Binds.nullable(sql, "concurrency", spec.defaultConcurrency(), Integer.class);
			sql = Binds.nullable(sql, "rpm", spec.defaultRpm(), Integer.class);
			Mono<Void> upsert = sql.then().then(overdraftLimit(spec));
			if (id.isPresent() || spec.balance() == null || spec.balance().signum() == 0) {
				return upsert;
			}
			return upsert.then(idOf("tenant", spec.name()))
				.flatMap((tenantId) -> openingBalance(tenantId, spec.balance()));
		});
	}

	private Mono<Void> overdraftLimit(TenantSpec spec) {
		DatabaseClient.GenericExecuteSpec sql = this.db
			.sql("UPDATE tenant SET overdraft_limit = :limit WHERE name = :name")
			.bind("name", spec.name());
		return Binds.nullable(sql, "limit", spec.overdraftLimit(), BigDecimal.class).then();
	}

	private Mono<Void> admissionPolicy(GroupSpec spec) {
		String policy = (spec.admissionPolicy() != null) ? AdmissionPolicy.parse(spec.admissionPolicy()).id() : null;
		DatabaseClient.GenericExecuteSpec sql = this.db
			.sql("UPDATE api_group SET admission_policy = :policy WHERE name = :name")
			.bind("name", spec.name());
		return Binds.nullable(sql, "policy", policy, String.class).then();
	}

	private Mono<Void> openingBalance(long tenantId, BigDecimal amount) {
		return this.db.sql("UPDATE tenant SET balance = :amount WHERE id = :id")
			.bind("amount", amount)
			.bind("id", tenantId)
			.then()
			.then(this.db.sql("""
					INSERT INTO ledger_entry (tenant_id, kind, amount, balance_after, actor, reason)
					VALUES (:id, 'topup', :amount, :amount, 'bootstrap', 'opening balance')""")
				.bind("id", tenantId)
				.bind("amount", amount)
				.then());
	}

	private Mono<Void> account(AccountSpec spec) {
		Platform platform = Platform.parse(spec.platform());
		return exists("upstream_account", spec.name()).flatMap((exists) -> {
			DatabaseClient.GenericExecuteSpec sql = this.db
				.sql(exists
						? """
								UPDATE upstream_account SET platform = :platform, base_url = :baseUrl, credential_enc = :credential,
								    models = :models, model_mapping = :mapping, supports_count_tokens = :countTokens,
								    supports_thinking = :thinking, supports_images = :images, concurrency_limit = :concurrency,
								    priority = :priority, weight = :weight, zdr = :zdr, quirks = :quirks, status = :status
								WHERE name = :name"""
						: """
								INSERT INTO upstream_account (name, platform, base_url, credential_enc, models, model_mapping,
								    supports_count_tokens, supports_thinking, supports_images, concurrency_limit, priority, weight,
								    zdr, quirks, status)
								VALUES (:name, :platform, :baseUrl, :credential, :models, :mapping, :countTokens, :thinking, :images,
								    :concurrency, :priority, :weight, :zdr, :quirks, :status)""")
				.bind("name", spec.name())
				.bind("platform", platform.id())
				.bind("baseUrl", stripTrailingSlash(spec.baseUrl()))
				.bind("credential", this.cipher.encrypt(spec.credential()))
				.bind("countTokens", orDefault(spec.supportsCountTokens(), platform == Platform.ANTHROPIC))
				.bind("thinking", orDefault(spec.supportsThinking(), true))
				.bind("images", orDefault(spec.supportsImages(), true))
				.bind("priority", orDefault(spec.priority(), 0))
				.bind("weight", orDefault(spec.weight(), 1))
				.bind("zdr", orDefault(spec.zdr(), false))
				.bind("status", orDefault(spec.status(), "active"));
			sql = Binds.nullable(sql, "models", JsonColumns.write(spec.models()), String.class);
			sql = Binds.nullable(sql, "mapping", JsonColumns.write(spec.modelMapping()), String.class);
			sql = Binds.nullable(sql, "quirks", JsonColumns.write(spec.quirks()), String.class);
			sql = Binds.nullable(sql, "concurrency", spec.concurrency(), Integer.class);
			return sql.then();
		});
	}

	private Mono<Void> group(GroupSpec spec) {
		Duration ttl = (spec.stickyTtl() != null) ? DurationStyle.detectAndParse(spec.stickyTtl())
				: Duration.ofHours(1);
		return exists("api_group", spec.name()).flatMap((exists) -> {
			DatabaseClient.GenericExecuteSpec sql = this.db.sql(exists ? """
					UPDATE api_group SET platform = :platform, billing_mode = :billingMode, multiplier = :multiplier,
					    model_mapping = :mapping, sticky_ttl_seconds = :ttl, balance_fallback = :fallback,
					    estimate_count_tokens = :estimate
					WHERE name = :name""" : """
					INSERT INTO api_group (name, platform, billing_mode, multiplier, model_mapping, sticky_ttl_seconds,
					    balance_fallback, estimate_count_tokens)
					VALUES (:name, :platform, :billingMode, :multiplier, :mapping, :ttl, :fallback, :estimate)""")
				.bind("name", spec.name())
				.bind("platform", Platform.parse(spec.platform()).id())
				.bind("billingMode", BillingMode.parse(orDefault(spec.billingMode(), "balance")).id())
				.bind("multiplier", orDefault(spec.multiplier(), BigDecimal.ONE))
				.bind("ttl", Math.toIntExact(ttl.toSeconds()))
				.bind("fallback", orDefault(spec.balanceFallback(), false))
				.bind("estimate", orDefault(spec.estimateCountTokens(), false));
			sql = Binds.nullable(sql, "mapping", JsonColumns.write(spec.modelMapping()), String.class);
			return sql.then();
		})
			.then(admissionPolicy(spec))
			.then(idOf("api_group", spec.name()))
			.flatMap(
					(groupId) -> this.db.sql("DELETE FROM group_account WHERE group_id = :id")
						.bind("id", groupId)
						.then()
						.thenMany(Flux
							.fromIterable((spec.accounts() != null) ? spec.accounts() : java.util.List.<MemberSpec>of())
							.concatMap((member) -> member(groupId, member)))
						.then())
			.then(Mono.defer(() -> intent(spec)));
	}

	private Mono<Void> intent(GroupSpec spec) {
		IntentSettings.checkDefaults(spec.intentDefaults());
		Mono<Void> checked = Mono.empty();
		if (spec.routerModel() != null) {
			checked = this.db
				.sql("SELECT a.models FROM group_account m JOIN upstream_account a ON a.id = m.account_id "
						+ "JOIN api_group g ON g.id = m.group_id WHERE g.name = :name AND a.status = 'active'")
				.bind("name", spec.name())
				.map((row) -> JsonColumns.stringList(row.get("models", String.class)))
				.all()
				.collectList()
				.doOnNext((models) -> IntentSettings.checkRouterModel(spec.routerModel(),
						(spec.modelMapping() != null) ? spec.modelMapping() : java.util.Map.of(), models))
				.onErrorMap(IllegalArgumentException.class,
						(ex) -> new IllegalArgumentException(
								"Bootstrap: group " + spec.name() + ": " + ex.getMessage()))
				.then();
		}
		DatabaseClient.GenericExecuteSpec sql = this.db
			.sql("UPDATE api_group SET router_model = :router, intent_defaults = :defaults WHERE name = :name")
			.bind("name", spec.name());
		sql = Binds.nullable(sql, "router", spec.routerModel(), String.class);
		sql = Binds.nullable(sql, "defaults", JsonColumns.write(spec.intentDefaults()), String.class);
		return checked.then(sql.then());
	}

	private Mono<Void> member(long groupId, MemberSpec member) {
		return idOf("upstream_account", member.name()).switchIfEmpty(Mono.error(() -> new IllegalArgumentException(
				"Bootstrap: group member names unknown account '" + member.name() + "'")))
			.flatMap((accountId) -> {
				DatabaseClient.GenericExecuteSpec sql = this.db
					.sql("INSERT INTO group_account (group_id, account_id, priority, weight) VALUES (:g, :a, :p, :w)")
					.bind("g", groupId)
					.bind("a", accountId);
				sql = Binds.nullable(sql, "p", member.priority(), Integer.class);
				sql = Binds.nullable(sql, "w", member.weight(), Integer.class);
				return sql.then();
			});
	}

	private Mono<Void> price(PriceSpec spec) {
		Instant from = effectiveFrom(spec.effectiveFrom());
		return this.db.sql("DELETE FROM price WHERE model_pattern = :model AND effective_from = :from")
			.bind("model", spec.model())
			.bind("from", from.atOffset(ZoneOffset.UTC))
			.then()
			.then(this.db.sql("""
					INSERT INTO price (model_pattern, input_per_mtok, output_per_mtok, cache_write_5m_per_mtok,
					    cache_write_1h_per_mtok, cache_read_per_mtok, effective_from)
					VALUES (:model, :input, :output, :write5m, :write1h, :read, :from)""")
				.bind("model", spec.model())
				.bind("input", required(spec.input(), "input", spec.model()))
				.bind("output", required(spec.output(), "output", spec.model()))
				.bind("write5m", orDefault(spec.cacheWrite5m(), spec.input()))
				.bind("write1h", orDefault(spec.cacheWrite1h(), orDefault(spec.cacheWrite5m(), spec.input())))
				.bind("read", orDefault(spec.cacheRead(), spec.input()))
				.bind("from", from.atOffset(ZoneOffset.UTC))
				.then());
	}

	private Mono<Void> key(KeySpec spec) {
		Mono<Long> tenant = idOf("tenant", spec.tenant()).switchIfEmpty(Mono.error(() -> new IllegalArgumentException(
				"Bootstrap: key '" + spec.name() + "' names unknown tenant '" + spec.tenant() + "'")));
		Mono<Long> group = idOf("api_group", spec.group()).switchIfEmpty(Mono.error(() -> new IllegalArgumentException(
				"Bootstrap: key '" + spec.name() + "' names unknown group '" + spec.group() + "'")));
		return Mono.zip(tenant, group)
			.flatMap((ids) -> this.db.sql("SELECT id FROM api_key WHERE tenant_id = :tenant AND name = :name")
				.bind("tenant", ids.getT1())
				.bind("name", spec.name())
				.map((row) -> row.get("id", Long.class))
				.one()
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((existing) -> {
					String secret = spec.key();
					if (existing.isEmpty() && secret == null) {
						secret = ApiKeys.generate();
						System.out.println("Tollgate bootstrap: issued key '" + spec.name() + "' for tenant '"
								+ spec.tenant() + "': " + secret + "  (shown once; store it now)");
					}
					String setKey = (secret != null) ? "key_hash = :hash, display_prefix = :prefix, " : "";
					DatabaseClient.GenericExecuteSpec sql = this.db
						.sql(existing.isPresent()
								? "UPDATE api_key SET " + setKey
										+ """
												group_id = :group, status = :status, expires_at = :expires, allowed_models = :models,
												    ip_allow = :ips, concurrency_limit = :concurrency, rpm_limit = :rpm, tpm_limit = :tpm,
												    spend_quota = :quota
												WHERE id = :id"""
								: """
										INSERT INTO api_key (tenant_id, group_id, name, display_prefix, key_hash, status, expires_at,
										    allowed_models, ip_allow, concurrency_limit, rpm_limit, tpm_limit, spend_quota)
										VALUES (:tenant, :group, :name, :prefix, :hash, :status, :expires, :models, :ips, :concurrency,
										    :rpm, :tpm, :quota)""")
						.bind("group", ids.getT2())
						.bind("status", orDefault(spec.status(), "active"));
					if (existing.isPresent()) {
						sql = sql.bind("id", existing.get());
					}
					else {
						sql = sql.bind("tenant", ids.getT1()).bind("name", spec.name());
					}
					if (secret != null) {
						sql = sql.bind("hash", ApiKeys.hash(secret)).bind("prefix", ApiKeys.displayPrefix(secret));
					}
					sql = Binds.nullable(sql, "expires",
							(spec.expiresAt() != null) ? spec.expiresAt().atOffset(ZoneOffset.UTC) : null,
							java.time.OffsetDateTime.class);
					sql = Binds.nullable(sql, "models", JsonColumns.write(spec.allowedModels()), String.class);
					sql = Binds.nullable(sql, "ips", JsonColumns.write(spec.ipAllow()), String.class);
					sql = Binds.nullable(sql, "concurrency", spec.concurrency(), Integer.class);
					sql = Binds.nullable(sql, "rpm", spec.rpm(), Integer.class);
					sql = Binds.nullable(sql, "tpm", spec.tpm(), Integer.class);
					sql = Binds.nullable(sql, "quota", spec.spendQuota(), BigDecimal.class);
					return sql.then();
				}));
	}

	private Mono<Long> idOf(String table, String name) {
		return this.db.sql("SELECT id FROM " + table + " WHERE name = :name")
			.bind("name", name)
			.map((row) -> row.get("id", Long.class))
			.one();
	}

	private Mono<Boolean> exists(String table, String name) {
		return idOf(table, name).hasElement();
	}

	private static Instant effectiveFrom(String value) {
		if (value == null || value.isBlank()) {
			return Instant.EPOCH;
		}
		return (value.length() == 10) ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
				: Instant.parse(value);
	}

	private static <T> T orDefault(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	private static BigDecimal required(BigDecimal value, String field, String model) {
		if (value == null) {
			throw new IllegalArgumentException("Bootstrap: price for '" + model + "' needs '" + field + "'");
		}
		return value;
	}

	private static String stripTrailingSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
