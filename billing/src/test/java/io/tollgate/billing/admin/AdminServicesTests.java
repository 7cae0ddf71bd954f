package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.ledger.LedgerEntry;
import io.tollgate.billing.ledger.Posting;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The admin services against a real database: every change audited in its transaction,
 * the hot path's directory seeing it after a reload, secrets never stored or audited in
 * clear, and ledger postings exact under concurrency. Run on H2 and PostgreSQL by the
 * subclasses.
 */
@SpringBootTest(classes = BillingTestApplication.class)
abstract class AdminServicesTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	TenantAdmin tenants;

	@Autowired
	KeyAdmin keys;

	@Autowired
	GroupAdmin groups;

	@Autowired
	AccountAdmin accounts;

	@Autowired
	PlanAdmin plans;

	@Autowired
	PriceAdmin prices;

	@Autowired
	UsageQueries usage;

	@Autowired
	AuditLog audit;

	@Autowired
	AdminTokens tokens;

	@Autowired
	ConsoleUsers users;

	@Autowired
	Ledger ledger;

	@Autowired
	Directory directory;

	@Autowired
	DatabaseClient db;

	static void commonProperties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-admin-services");
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.billing.usage-flush-interval", () -> "1h");
	}

	@Test
	void issuedKeysWorkOnTheHotPathUntilRevoked() {
		Tenant tenant = this.tenants.create(new Tenant.Form("keys-tenant", 4, 60, null, 8), "alice").block(WAIT);
		Group group = this.groups
			.create("keys-group",
					new Group.Settings("anthropic", "balance", new BigDecimal("1.2"),
							Map.of("claude-*", "claude-sonnet-4-5"), 600, false),
					"alice")
			.block(WAIT);
		long revision = revision();
		ApiKeyInfo.Issued issued = this.keys
			.issue(tenant.id(), "ci",
					new ApiKeyInfo.Settings(group.id(), Instant.parse("2099-01-01T00:00:00Z"),
							List.of("claude-sonnet-4-5"), List.of("10.0.0.0/8"), 2, 30, 100_000, new BigDecimal("50")),
					"alice")
			.block(WAIT);
		assertThat(revision()).isGreaterThan(revision);
		assertThat(tenant.maxConcurrency()).isEqualTo(8);
		assertThat(issued.secret()).startsWith("tg-");
		assertThat(issued.key().settings().ipAllow()).containsExactly("10.0.0.0/8");
		this.directory.reload().block(WAIT);
		assertThat(this.directory.authenticate(issued.secret())).hasValueSatisfying((grant) -> {
			assertThat(grant.tenant().name()).isEqualTo("keys-tenant");
			assertThat(grant.allowedModels()).containsExactly("claude-sonnet-4-5");
			assertThat(grant.rpmLimit()).isEqualTo(30);
		});
		this.keys.revoke(issued.key().id(), "bob").block(WAIT);
		this.directory.reload().block(WAIT);
		assertThat(this.directory.authenticate(issued.secret()))
			.hasValueSatisfying((grant) -> assertThat(grant.status()).isEqualTo("revoked"));
		List<AuditEvent> events = this.audit.page(0, 500).block(WAIT);
		assertThat(events).anySatisfy((e) -> {
			assertThat(e.action()).isEqualTo("key.issue");
			assertThat(e.actor()).isEqualTo("alice");
			assertThat(e.targetId()).isEqualTo(Long.toString(issued.key().id()));
		});
		assertThat(events).anySatisfy((e) -> assertThat(e.action()).isEqualTo("key.revoke"));
		assertThat(events).noneSatisfy((e) -> assertThat(String.valueOf(e.detail())).contains(issued.secret()));
	}

	@Test
	void modelMappingsKeepTheirOrder() {
		Map<String, String> mapping = new java.util.LinkedHashMap<>();
		mapping.put("claude-opus-*", "big");
		mapping.put("claude-*", "medium");
		mapping.put("a-exact-model", "exact");
		mapping.put("*", "small");
		Group group = this.groups
			.create("ordered-group", new Group.Settings("openai", null, null, mapping, null, null), "alice")
			.block(WAIT);
		assertThat(this.groups.get(group.id()).block(WAIT).settings().modelMapping().keySet())
			.containsExactly("claude-opus-*", "claude-*", "a-exact-model", "*");
	}

	@Test
	void suspendingATenantReachesTheDirectory() {
		Tenant tenant = this.tenants.create(Tenant.Form.named("suspend-me"), "alice").block(WAIT);
		this.tenants.setStatus(tenant.id(), "suspended", "alice").block(WAIT);
		this.directory.reload().block(WAIT);
		assertThat(this.directory.tenant(tenant.id()))
			.hasValueSatisfying((t) -> assertThat(t.status()).isEqualTo("suspended"));
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.tenants.create(Tenant.Form.named("suspend-me"), "alice").block(WAIT))
			.withMessageContaining("already exists");
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.tenants.setStatus(tenant.id(), "deleted", "alice"));
	}

	@Test
	void accountCredentialsAreEncryptedMaskedAndNeverAudited() {
		Account account = this.accounts
			.create("secret-account", "sk-ant-very-secret-credential-4242",
					new Account.Settings("anthropic", "https://api.example.com/", List.of(), Map.of(), 3, 1, 2, null),
					"alice")
			.block(WAIT);
		assertThat(account.credentialHint()).isEqualTo("••••4242");
		assertThat(account.settings().baseUrl()).isEqualTo("https://api.example.com");
		String stored = this.db.sql("SELECT credential_enc FROM upstream_account WHERE id = :id")
			.bind("id", account.id())
			.map((row) -> row.get(0, String.class))
			.one()
			.block(WAIT);
		assertThat(stored).doesNotContain("very-secret");
		Account edited = this.accounts
			.update(account.id(), "secret-account", "  ",
					new Account.Settings("anthropic", "https://api.example.com", List.of("claude-x"), Map.of(), null, 5,
							1, "disabled"),
					"alice")
			.block(WAIT);
		assertThat(edited.credentialHint()).isEqualTo("••••4242");
		assertThat(this.accounts.connection(account.id()).block(WAIT).credential().reveal())
			.isEqualTo("sk-ant-very-secret-credential-4242");
		Group group = this.groups
			.create("secret-group", new Group.Settings("anthropic", null, null, null, null, null), "alice")
			.block(WAIT);
		Group withMember = this.groups.putMember(group.id(), account.id(), 7, 3, "alice").block(WAIT);
		assertThat(withMember.members()).singleElement().satisfies((m) -> {
			assertThat(m.priority()).isEqualTo(7);
			assertThat(m.weight()).isEqualTo(3);
		});
		this.directory.reload().block(WAIT);
		assertThat(this.directory.group(group.id()).orElseThrow().members()).singleElement()
			.satisfies((m) -> assertThat(m.account().credential().reveal()).endsWith("4242"));
		assertThat(this.groups.removeMember(group.id(), account.id(), "alice").block(WAIT).members()).isEmpty();
		assertThat(this.audit.page(0, 500).block(WAIT))
			.noneSatisfy((e) -> assertThat(String.valueOf(e.detail())).contains("very-secret"));
	}

	@Test
	void ledgerPostingsKeepARunningBalanceUnderConcurrency() {
		Tenant tenant = this.tenants.create(Tenant.Form.named("ledger-tenant"), "alice").block(WAIT);
		this.ledger.post(tenant.id(), Posting.TOPUP, new BigDecimal("100"), "finance", "opening").block(WAIT);
		Flux.range(0, 20)
			.flatMap((i) -> this.ledger.post(tenant.id(), (i % 2 == 0) ? Posting.ADJUSTMENT : Posting.REFUND,
					(i % 2 == 0) ? new BigDecimal("-1.5") : new BigDecimal("0.25"), "finance", "batch " + i), 8)
			.blockLast(WAIT);
		// 100 - 10 * 1.5 + 10 * 0.25
		assertThat(this.tenants.get(tenant.id()).block(WAIT).balance()).isEqualByComparingTo("87.5");
		List<LedgerEntry> entries = this.ledger.entries(tenant.id(), 100).block(WAIT);
		assertThat(entries).hasSize(21);
		List<LedgerEntry> oldestFirst = entries.reversed();
		BigDecimal running = BigDecimal.ZERO;
		for (LedgerEntry entry : oldestFirst) {
			running = running.add(entry.amount());
			assertThat(entry.balanceAfter()).isEqualByComparingTo(running);
			assertThat(entry.actor()).isEqualTo("finance");
		}
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.ledger.post(tenant.id(), Posting.TOPUP, new BigDecimal("-5"), "x", "no"));
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.ledger.post(tenant.id(), Posting.ADJUSTMENT, BigDecimal.ONE, "x", " "));
		assertThat(this.audit.page(0, 500).block(WAIT).stream().filter((e) -> e.action().startsWith("ledger.")))
			.hasSizeGreaterThanOrEqualTo(21);
	}

	@Test
	void plansSubscriptionsAndPricesAreRecorded() {
		Tenant tenant = this.tenants.create(Tenant.Form.named("plan-tenant"), "alice").block(WAIT);
		Group group = this.groups
			.create("plan-group", new Group.Settings("anthropic", "subscription", null, null, null, true), "alice")
			.block(WAIT);
		Plan plan = this.plans.createPlan("pro", group.id(), new BigDecimal("5"), null, new BigDecimal("100"), "alice")
			.block(WAIT);
		Plan.Subscription subscription = this.plans
			.subscribe(tenant.id(), plan.id(), Instant.parse("2025-01-01T00:00:00Z"), null, "alice")
			.block(WAIT);
		assertThat(subscription.planName()).isEqualTo("pro");
		assertThat(this.plans.cancel(subscription.id(), "alice").block(WAIT).status()).isEqualTo("cancelled");
		PriceEntry price = this.prices
			.add(new PriceEntry(0, "claude-test-*", new BigDecimal("1"), new BigDecimal("5"), null, null, null,
					Instant.parse("2026-01-01T00:00:00Z")), "alice")
			.block(WAIT);
		assertThat(price.cacheWrite1h()).isEqualByComparingTo("1");
		this.prices.delete(price.id(), "alice").block(WAIT);
		assertThat(this.prices.list().block(WAIT)).noneMatch((p) -> p.id() == price.id());
	}

	@Test
	void usageQueriesAgreeWithTheRecords() {
		Tenant tenant = this.tenants.create(Tenant.Form.named("usage-tenant"), "alice").block(WAIT);
		Group group = this.groups
			.create("usage-group", new Group.Settings("anthropic", null, null, null, null, null), "alice")
			.block(WAIT);
		long key = this.keys
			.issue(tenant.id(), "k", new ApiKeyInfo.Settings(group.id(), null, null, null, null, null, null, null),
					"alice")
			.block(WAIT)
			.key()
			.id();
		Instant day = Instant.parse("2025-05-01T00:00:00Z");
		for (int i = 0; i < 30; i++) {
			this.db.sql("""
					INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, stream,
					    input_tokens, output_tokens, cache_read_tokens, list_cost, charged_cost, outcome, http_status,
					    latency_ms, started_at)
					VALUES (:id, :t, :k, :g, :m, TRUE, :in, 10, 5, 0.01, 0.02, :o, 200, 50, :at)""")
				.bind("id", "usage-q-" + i)
				.bind("t", tenant.id())
				.bind("k", key)
				.bind("g", group.id())
				.bind("m", (i % 5 == 0) ? "model-a" : "model-b")
				.bind("in", (long) i)
				.bind("o", (i % 10 == 0) ? "upstream_error" : "ok")
				// 30 records over three days, 23:00 each, so UTC day boundaries matter
				.bind("at", day.plusSeconds(86_400L * (i % 3) + 82_800).atOffset(ZoneOffset.UTC))
				.then()
				.block(WAIT);
		}
		UsageFilter all = new UsageFilter(day, day.plusSeconds(3 * 86_400), tenant.id(), null, null, null, null);
		UsageSummary totals = this.usage.totals(all).block(WAIT);
		assertThat(totals.requests()).isEqualTo(30);
		assertThat(totals.errors()).isEqualTo(3);
		assertThat(totals.tokens().input()).isEqualTo(435);
		assertThat(totals.chargedCost()).isEqualByComparingTo("0.6");
		assertThat(this.usage.daily(all).block(WAIT)).hasSize(3)
			.allSatisfy((d) -> assertThat(d.summary().requests()).isEqualTo(10));
		List<UsageSummary.Aggregate> aggregates = this.usage.aggregates(all).collectList().block(WAIT);
		assertThat(aggregates).hasSize(6);
		assertThat(aggregates.stream().mapToLong((a) -> a.summary().tokens().input()).sum()).isEqualTo(435);
		assertThat(aggregates.get(0).day()).hasToString("2025-05-01");
		assertThat(this.usage
			.page(new UsageFilter(day, day.plusSeconds(3 * 86_400), tenant.id(), null, null, "model-a",
					"upstream_error"), 0, 50)
			.block(WAIT)).hasSize(3);
		assertThat(this.usage.page(all, 1, 20).block(WAIT)).hasSize(10);
		assertThat(this.usage.stream(all).count().block(WAIT)).isEqualTo(30);
		assertThat(this.usage.topModels(all, 1).block(WAIT)).singleElement()
			.satisfies((m) -> assertThat(m.name()).isEqualTo("model-b"));
	}

	@Test
	void cacheHitRatesAreCacheReadsOverCacheableInput() {
		Tenant tenant = this.tenants.create(Tenant.Form.named("cache-tenant"), "alice").block(WAIT);
		Group group = this.groups
			.create("cache-group", new Group.Settings("anthropic", null, null, null, null, null), "alice")
			.block(WAIT);
		long key = this.keys
			.issue(tenant.id(), "k", new ApiKeyInfo.Settings(group.id(), null, null, null, null, null, null, null),
					"alice")
			.block(WAIT)
			.key()
			.id();
		Instant day = Instant.parse("2025-06-01T00:00:00Z");
		// day 1 on account 77: 100 input, 100 written, 800 read; day 2 on account 78: 900
		// input, 100 read
		long[][] rows = { { 0, 77, 100, 100, 800 }, { 1, 78, 900, 0, 100 } };
		for (long[] row : rows) {
			this.db.sql("""
					INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, account_id, requested_model,
					    upstream_model, stream, input_tokens, output_tokens, cache_creation_tokens,
					    cache_creation_5m_tokens, cache_read_tokens, list_cost, charged_cost, outcome, http_status,
					    latency_ms, started_at)
					VALUES (:id, :t, :k, :g, :a, 'claude-x', :m, TRUE, :in, 10, :w, :w, :r, 0.01, 0.02, 'ok', 200, 50,
					    :at)""")
				.bind("id", "cache-q-" + row[0])
				.bind("t", tenant.id())
				.bind("k", key)
				.bind("g", group.id())
				.bind("a", row[1])
				.bind("m", (row[0] == 0) ? "model-warm" : "model-cold")
				.bind("in", row[2])
				.bind("w", row[3])
				.bind("r", row[4])
				.bind("at", day.plusSeconds(86_400L * row[0] + 3600).atOffset(ZoneOffset.UTC))
				.then()
				.block(WAIT);
		}
		UsageFilter all = new UsageFilter(day, day.plusSeconds(2 * 86_400), tenant.id(), null, null, null, null);
		assertThat(this.usage.cacheHits(all, null, CacheHits.By.TENANT, 10).block(WAIT)).singleElement()
			.satisfies((hits) -> {
				assertThat(hits.name()).isEqualTo("cache-tenant");
				assertThat(hits.cacheRead()).isEqualTo(900);
				assertThat(hits.cacheable()).isEqualTo(2000);
				assertThat(hits.ratio()).isEqualTo(0.45);
			});
		assertThat(this.usage.cacheHits(all, null, CacheHits.By.MODEL, 10).block(WAIT))
			.extracting(CacheHits::name, CacheHits::ratio)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("model-cold", 0.1),
					org.assertj.core.groups.Tuple.tuple("model-warm", 0.8));
		assertThat(this.usage.cacheHits(all, null, CacheHits.By.GROUP, 10).block(WAIT)).extracting(CacheHits::name)
			.containsExactly("cache-group");
		assertThat(this.usage.dailyCacheHits(all, null).block(WAIT)).extracting(CacheHits.Daily::ratio)
			.containsExactly(0.8, 0.1);
		assertThat(this.usage.dailyCacheHits(all, 77L).block(WAIT)).singleElement()
			.satisfies((daily) -> assertThat(daily.day()).hasToString("2025-06-01"));
		assertThat(this.usage.cacheHits(all, 78L, CacheHits.By.MODEL, 10).block(WAIT)).extracting(CacheHits::name)
			.containsExactly("model-cold");
	}

	@Test
	void adminTokensAuthenticateUntilRevoked() {
		AdminToken.Issued issued = this.tokens.issue("script", "finance", "alice").block(WAIT);
		assertThat(issued.secret()).startsWith(AdminTokens.PREFIX);
		assertThat(this.tokens.authenticate(issued.secret()).block(WAIT).role()).isEqualTo("FINANCE");
		assertThat(this.tokens.authenticate("tg-not-an-admin-token").block(WAIT)).isNull();
		this.tokens.revoke(issued.token().id(), "alice").block(WAIT);
		assertThat(this.tokens.authenticate(issued.secret()).block(WAIT)).isNull();
	}

	@Test
	void theFirstAdminIsCreatedOnlyOnce() {
		ConsoleUser first = this.users.createFirstAdmin("first", "{noop}x").block(WAIT);
		ConsoleUser second = this.users.createFirstAdmin("second", "{noop}y").block(WAIT);
		assertThat((first != null) ? first.role() : "existing").isIn("ADMIN", "existing");
		assertThat(second).isNull();
		assertThat(this.users.find("second").block(WAIT)).isNull();
	}

	private long revision() {
		return this.db.sql("SELECT revision FROM config_revision WHERE id = 1")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(WAIT);
	}

}
