package io.tollgate.billing.directory.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.DirectorySnapshot;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.directory.Secret;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.TenantView;
import io.tollgate.billing.internal.JsonColumns;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.price.PriceBook;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Reads the whole configuration into a {@link DirectorySnapshot}.
 */
public class DirectoryLoader {

	private final DatabaseClient db;

	private final CredentialCipher cipher;

	private final SpendLoader spend;

	private final Price fallbackPrice;

	public DirectoryLoader(DatabaseClient db, CredentialCipher cipher) {
		this(db, cipher, null);
	}

	/**
	 * A loader whose price books price unpriced models at a default.
	 * @param db the database
	 * @param cipher decrypts upstream credentials
	 * @param fallbackPrice the configured default price, or {@code null}
	 */
	public DirectoryLoader(DatabaseClient db, CredentialCipher cipher, Price fallbackPrice) {
		this.db = db;
		this.cipher = cipher;
		this.spend = new SpendLoader(db);
		this.fallbackPrice = fallbackPrice;
	}

	public Mono<Long> revision() {
		return this.db.sql("SELECT revision FROM config_revision WHERE id = 1")
			.map((row) -> row.get("revision", Long.class))
			.one();
	}

	public Mono<DirectorySnapshot> load() {
		return revision().flatMap((revision) -> Mono
			.zip(list("SELECT * FROM tenant", this::tenant), list("SELECT * FROM upstream_account", this::account),
					list("SELECT * FROM api_group", GroupRow::of), list("SELECT * FROM group_account", MemberRow::of),
					list("SELECT * FROM api_key", KeyRow::of), list("SELECT * FROM price", DirectoryLoader::price),
					this.spend.load(Instant.now()), list("SELECT * FROM redaction_policy", RedactionRow::of))
			.map((t) -> assemble(revision, t.getT1(), t.getT2(), t.getT3(), t.getT4(), t.getT5(), t.getT6(), t.getT7())
				.withRedaction(RedactionRow.policies(t.getT8()))));
	}

	private <T> Mono<List<T>> list(String sql, Function<Readable, T> mapper) {
		return this.db.sql(sql).map((Readable row) -> mapper.apply(row)).all().collectList();
	}

	private DirectorySnapshot assemble(long revision, List<TenantView> tenants, List<AccountView> accounts,
			List<GroupRow> groupRows, List<MemberRow> memberRows, List<KeyRow> keyRows, List<Price> prices,
			SpendBaseline spend) {
		Map<Long, TenantView> tenantsById = tenants.stream()
			.collect(Collectors.toMap(TenantView::id, Function.identity()));
		Map<Long, AccountView> accountsById = accounts.stream()
			.collect(Collectors.toMap(AccountView::id, Function.identity()));
		Map<Long, List<GroupView.Member>> members = new HashMap<>();
		for (MemberRow row : memberRows) {
			AccountView account = accountsById.get(row.accountId());
			members.computeIfAbsent(row.groupId(), (id) -> new ArrayList<>())
				.add(new GroupView.Member(account, (row.priority() != null) ? row.priority() : account.priority(),
						(row.weight() != null) ? row.weight() : account.weight()));
		}
		Map<Long, GroupView> groups = new HashMap<>();
		for (GroupRow row : groupRows) {
			List<GroupView.Member> groupMembers = members.getOrDefault(row.id(), List.of())
				.stream()
				.sorted(Comparator.comparingInt(GroupView.Member::priority).thenComparing((m) -> m.account().id()))
				.toList();
			groups.put(row.id(), row.toView(groupMembers));
		}
		Map<String, KeyGrant> keys = new HashMap<>();
		for (KeyRow row : keyRows) {
			keys.put(row.hash(), row.toGrant(tenantsById.get(row.tenantId())));
		}
		return new DirectorySnapshot(revision, Map.copyOf(keys), Map.copyOf(groups), Map.copyOf(tenantsById),
				new PriceBook(prices, this.fallbackPrice), spend);
	}

	private TenantView tenant(Readable row) {
		return new TenantView(row.get("id", Long.class), row.get("name", String.class), row.get("status", String.class),
				row.get("balance", BigDecimal.class), row.get("default_concurrency", Integer.class),
				row.get("default_rpm", Integer.class));
	}

	private AccountView account(Readable row) {
		return new AccountView(row.get("id", Long.class), row.get("name", String.class),
				Platform.parse(row.get("platform", String.class)), row.get("base_url", String.class),
				new Secret(this.cipher.decrypt(row.get("credential_enc", String.class))),
				JsonColumns.stringList(row.get("models", String.class)),
				JsonColumns.stringMap(row.get("model_mapping", String.class)),
				row.get("supports_count_tokens", Boolean.class), row.get("supports_thinking", Boolean.class),
				row.get("supports_images", Boolean.class), row.get("concurrency_limit", Integer.class),
				row.get("priority", Integer.class), row.get("weight", Integer.class), row.get("zdr", Boolean.class),
				JsonColumns.objectMap(row.get("quirks", String.class)), row.get("status", String.class));
	}

	private static Price price(Readable row) {
		return new Price(row.get("id", Long.class), row.get("model_pattern", String.class),
				row.get("input_per_mtok", BigDecimal.class), row.get("output_per_mtok", BigDecimal.class),
				row.get("cache_write_5m_per_mtok", BigDecimal.class),
				row.get("cache_write_1h_per_mtok", BigDecimal.class), row.get("cache_read_per_mtok", BigDecimal.class),
				instant(row.get("effective_from", OffsetDateTime.class)));
	}

	static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
