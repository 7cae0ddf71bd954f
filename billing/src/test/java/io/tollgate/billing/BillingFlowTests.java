package io.tollgate.billing;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.internal.DirectoryLoader;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.directory.SubscriptionView;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.internal.UsageWriter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bootstrap, directory and usage accounting against a real database; run on H2 and on
 * PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = BillingTestApplication.class)
abstract class BillingFlowTests {

	static final String KEY = "tg-test-key-0000000000000000000000000000";

	@Autowired
	Directory directory;

	@Autowired
	UsageWriter writer;

	@Autowired
	DirectoryLoader loader;

	@Autowired
	DatabaseClient db;

	static void commonProperties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-billing-test");
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", () -> {
			try {
				return new ClassPathResource("bootstrap-test.yml").getFile().getPath();
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		registry.add("tollgate.billing.usage-flush-interval", () -> "1h");
	}

	@Test
	void bootstrapFileBecomesTheDirectory() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		assertThat(grant.tenant().name()).isEqualTo("acme");
		assertThat(grant.tenant().balance()).isEqualByComparingTo("10");
		var group = this.directory.group(grant.groupId()).orElseThrow();
		assertThat(group.multiplier()).isEqualByComparingTo("1.5");
		assertThat(group.modelMapping()).containsEntry("claude-*", "claude-sonnet-4-5");
		assertThat(group.members()).singleElement().satisfies((member) -> {
			assertThat(member.priority()).isEqualTo(2);
			assertThat(member.account().credential().reveal()).isEqualTo("sk-ant-test-credential");
		});
		assertThat(this.directory.authenticate("tg-wrong")).isEmpty();
	}

	@Test
	void keysAndCredentialsAreStoredOnlyInProtectedForm() {
		List<String> stored = this.db.sql("SELECT key_hash FROM api_key")
			.map((row) -> row.get(0, String.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(stored).isNotEmpty().noneMatch((hash) -> hash.contains(KEY));
		String credential = this.db.sql("SELECT credential_enc FROM upstream_account")
			.map((row) -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
		assertThat(credential).doesNotContain("sk-ant-test-credential");
	}

	@Test
	void chargesEachRequestOnceAtThePriceInEffectWhenItStarted() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		BigDecimal before = balance(grant.tenant().id());
		UsageEvent event = new UsageEvent("req_charge_once_" + getClass().getSimpleName(), grant.tenant().id(),
				grant.keyId(), grant.groupId(), null, "claude-x", "claude-sonnet-4-5", true,
				new TokenCounts(1000, 2000, 100, 200, 3000), false, Outcome.OK, 200,
				Instant.parse("2025-06-01T00:00:00Z"), 1200, 300L, BillingMode.BALANCE, new BigDecimal("1.5"));
		this.writer.write(List.of(event)).block(Duration.ofSeconds(10));
		this.writer.write(List.of(event, event)).block(Duration.ofSeconds(10));

		// 1000*3 + 2000*15 + 100*3.75 + 200*6 + 3000*0.30 = 35475 per million = 0.035475;
		// x1.5 = 0.0532125
		assertThat(count("SELECT COUNT(*) FROM usage_record WHERE request_id = '" + event.requestId() + "'"))
			.isEqualTo(1);
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id = '" + event.requestId() + "'"))
			.isEqualTo(1);
		BigDecimal listCost = this.db.sql("SELECT list_cost FROM usage_record WHERE request_id = :id")
			.bind("id", event.requestId())
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block();
		assertThat(listCost).isEqualByComparingTo("0.035475");
		assertThat(balance(grant.tenant().id())).isEqualByComparingTo(before.subtract(new BigDecimal("0.0532125")));
		BigDecimal ledgerSum = this.db.sql("SELECT SUM(amount) FROM ledger_entry WHERE tenant_id = :id")
			.bind("id", grant.tenant().id())
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block();
		assertThat(ledgerSum).isEqualByComparingTo(balance(grant.tenant().id()));
	}

	@Test
	void chargesABatchAsIfItsRequestsCameOneByOne() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		String suffix = getClass().getSimpleName();
		long one = tenant("batch-one-" + suffix, "7");
		long two = tenant("batch-two-" + suffix, "5");
		// 1000*3 = 0.003 at list price, x1.5 = 0.0045 per request
		TokenCounts tokens = new TokenCounts(1000, 0, 0, 0, 0);
		BigDecimal perRequest = new BigDecimal("0.0045");
		UsageEvent first = usage("req_batch_1_" + suffix, one, grant, tokens, BillingMode.BALANCE);
		UsageEvent second = usage("req_batch_2_" + suffix, two, grant, tokens, BillingMode.BALANCE);
		UsageEvent third = usage("req_batch_3_" + suffix, one, grant, tokens, BillingMode.BALANCE);
		UsageEvent subscription = usage("req_batch_4_" + suffix, one, grant, tokens, BillingMode.SUBSCRIPTION);
		UsageEvent free = usage("req_batch_5_" + suffix, one, grant, TokenCounts.ZERO, BillingMode.BALANCE);
		UsageEvent fourth = usage("req_batch_6_" + suffix, one, grant, tokens, BillingMode.BALANCE);
		this.writer.write(List.of(first)).block(Duration.ofSeconds(10));
		this.writer.write(List.of(second, first, third, subscription, free, third, fourth))
			.block(Duration.ofSeconds(10));

		assertThat(count("SELECT COUNT(*) FROM usage_record WHERE request_id LIKE 'req_batch_%" + suffix + "'"))
			.isEqualTo(6);
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id LIKE 'req_batch_%" + suffix + "'"))
			.isEqualTo(4);
		BigDecimal seven = new BigDecimal("7");
		assertThat(balance(one)).isEqualByComparingTo(seven.subtract(perRequest.multiply(BigDecimal.valueOf(3))));
		assertThat(balance(two)).isEqualByComparingTo(new BigDecimal("5").subtract(perRequest));
		assertThat(balanceAfter(first.requestId())).isEqualByComparingTo(seven.subtract(perRequest));
		assertThat(balanceAfter(third.requestId()))
			.isEqualByComparingTo(seven.subtract(perRequest.multiply(BigDecimal.TWO)));
		assertThat(balanceAfter(fourth.requestId())).isEqualByComparingTo(balance(one));
		assertThat(balanceAfter(second.requestId())).isEqualByComparingTo(balance(two));
		assertThat(count("SELECT COUNT(*) FROM usage_record WHERE request_id = '" + subscription.requestId()
				+ "' AND charged_cost > 0"))
			.isEqualTo(1);
	}

	@Test
	void theBalanceIsAlwaysTheSumOfItsLedgerAfterRacingWriters() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		String suffix = getClass().getSimpleName();
		long tenant = tenant("racing-" + suffix, "50");
		this.db
			.sql("INSERT INTO ledger_entry (tenant_id, kind, amount, balance_after, actor, reason) "
					+ "VALUES (:tenant, 'topup', 50, 50, 'test', 'opening balance')")
			.bind("tenant", tenant)
			.then()
			.block(Duration.ofSeconds(10));
		TokenCounts tokens = new TokenCounts(1000, 0, 0, 0, 0);
		Cost cost = new Cost(new BigDecimal("0.003"), new BigDecimal("0.0045"), null);
		List<UsageEvent> events = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			events.add(new UsageEvent("req_race_" + i + "_" + suffix, tenant, grant.keyId(), grant.groupId(), null,
					"claude-x", "claude-sonnet-4-5", false, tokens, false, Outcome.OK, 200, Instant.now(), 10, null,
					BillingMode.BALANCE, new BigDecimal("1.5"), cost, ChargedTo.BALANCE, null));
		}
		Random random = new Random(7);
		List<List<UsageEvent>> batches = new ArrayList<>();
		for (int writer = 0; writer < 6; writer++) {
			List<UsageEvent> batch = new ArrayList<>(events);
			Collections.shuffle(batch, random);
			batches.add(batch.subList(0, 25));
		}
		Flux.fromIterable(batches)
			.flatMap((batch) -> Flux.fromIterable(batch)
				.buffer(5)
				.concatMap((part) -> this.writer.write(part).retry(5))
				.subscribeOn(Schedulers.boundedElastic()), 6)
			.blockLast(Duration.ofSeconds(60));
		long written = count("SELECT COUNT(*) FROM usage_record WHERE request_id LIKE 'req_race_%_" + suffix + "'");
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id LIKE 'req_race_%_" + suffix + "'"))
			.isEqualTo(written);
		BigDecimal ledger = this.db.sql("SELECT SUM(amount) FROM ledger_entry WHERE tenant_id = :id")
			.bind("id", tenant)
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block();
		assertThat(balance(tenant)).isEqualByComparingTo(ledger)
			.isEqualByComparingTo(
					new BigDecimal("50").subtract(new BigDecimal("0.0045").multiply(BigDecimal.valueOf(written))));
		BigDecimal usageCharged = this.db.sql("SELECT usage_charged FROM tenant WHERE id = :id")
			.bind("id", tenant)
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block();
		assertThat(usageCharged.add(balance(tenant))).as("balance plus charged usage stays what was put in")
			.isEqualByComparingTo("50");
	}

	@Test
	void theDirectoryCarriesWhatWasSpentForRebuildingCounters() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		String suffix = getClass().getSimpleName();
		long tenant = tenant("subscriber-" + suffix, "20");
		this.db.sql("INSERT INTO plan (name, group_id, daily_limit, monthly_limit) VALUES (:name, :group, 5, 100)")
			.bind("name", "pro-" + suffix)
			.bind("group", grant.groupId())
			.then()
			.block(Duration.ofSeconds(10));
		this.db
			.sql("INSERT INTO subscription (tenant_id, plan_id, starts_at) SELECT :tenant, id, :start FROM plan "
					+ "WHERE name = :name")
			.bind("tenant", tenant)
			.bind("start", OffsetDateTime.parse("2020-01-01T00:00:00Z"))
			.bind("name", "pro-" + suffix)
			.then()
			.block(Duration.ofSeconds(10));
		// a snapshot of its own: the shared directory stays as the other tests expect it
		SubscriptionView subscription = this.loader.load()
			.block(Duration.ofSeconds(10))
			.spend()
			.subscriptions()
			.get(tenant)
			.get(0);
		assertThat(subscription.dailyLimit()).isEqualByComparingTo("5");
		assertThat(subscription.weeklyLimit()).isNull();
		Instant now = Instant.now();
		Cost cost = new Cost(new BigDecimal("1.2"), new BigDecimal("1.8"), null);
		TokenCounts tokens = new TokenCounts(1, 1, 0, 0, 0);
		List<UsageEvent> events = List.of(
				new UsageEvent("req_sub_1_" + suffix, tenant, grant.keyId(), grant.groupId(), null, "claude-x",
						"claude-sonnet-4-5", false, tokens, false, Outcome.OK, 200, now, 10, null,
						BillingMode.SUBSCRIPTION, BigDecimal.ONE, cost, ChargedTo.SUBSCRIPTION, subscription.id()),
				new UsageEvent("req_sub_2_" + suffix, tenant, grant.keyId(), grant.groupId(), null, "claude-x",
						"claude-sonnet-4-5", false, tokens, false, Outcome.OK, 200, now, 10, null,
						BillingMode.SUBSCRIPTION, BigDecimal.ONE, cost, ChargedTo.SUBSCRIPTION, subscription.id()),
				new UsageEvent("req_sub_3_" + suffix, tenant, grant.keyId(), grant.groupId(), null, "claude-x",
						"claude-sonnet-4-5", false, tokens, false, Outcome.OK, 200, now, 10, null,
						BillingMode.SUBSCRIPTION, BigDecimal.ONE, cost, ChargedTo.BALANCE, null));
		BigDecimal keySpentBefore = this.loader.load()
			.block(Duration.ofSeconds(10))
			.spend()
			.keySpent()
			.get(grant.keyId());
		this.writer.write(events).block(Duration.ofSeconds(10));
		SpendBaseline spend = this.loader.load().block(Duration.ofSeconds(10)).spend();
		assertThat(spend.windowSpent().get(SpendWindow.DAILY.key(subscription.id(), now))).isEqualByComparingTo("3.6");
		assertThat(spend.windowSpent().get(SpendWindow.MONTHLY.key(subscription.id(), now)))
			.isEqualByComparingTo("3.6");
		assertThat(spend.tenants().get(tenant).usageCharged()).as("only the fallback hit the balance")
			.isEqualByComparingTo("1.8");
		assertThat(balance(tenant)).isEqualByComparingTo("18.2");
		assertThat(spend.keySpent().get(grant.keyId()).subtract(keySpentBefore)).isEqualByComparingTo("5.4");
		assertThat(count("SELECT COUNT(*) FROM usage_record WHERE charged_to = 'subscription' AND subscription_id = "
				+ subscription.id()))
			.isEqualTo(2);
		assertThat(count("SELECT COUNT(*) FROM ledger_entry WHERE request_id LIKE 'req_sub_%_" + suffix + "'"))
			.isEqualTo(1);
	}

	private long tenant(String name, String balance) {
		this.db.sql("INSERT INTO tenant (name, balance) VALUES (:name, :balance)")
			.bind("name", name)
			.bind("balance", new BigDecimal(balance))
			.then()
			.block(Duration.ofSeconds(10));
		return this.db.sql("SELECT id FROM tenant WHERE name = :name")
			.bind("name", name)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	@Test
	void recordsTheUpstreamRequestIdNextToTollgates() {
		KeyGrant grant = this.directory.authenticate(KEY).orElseThrow();
		UsageEvent plain = usage("req_upstream_id_" + getClass().getSimpleName(), grant.tenant().id(), grant,
				new TokenCounts(1, 1, 0, 0, 0), BillingMode.BALANCE);
		UsageEvent event = new UsageEvent(plain.requestId(), plain.tenantId(), plain.keyId(), plain.groupId(),
				plain.accountId(), plain.requestedModel(), plain.upstreamModel(), plain.stream(), plain.tokens(),
				plain.estimated(), plain.outcome(), plain.httpStatus(), plain.startedAt(), plain.latencyMs(),
				plain.ttftMs(), plain.billingMode(), plain.multiplier(), null, null, null, "req_011CUpstream", null,
				null);
		this.writer.write(List.of(event)).block(Duration.ofSeconds(10));
		String upstreamId = this.db.sql("SELECT upstream_request_id FROM usage_record WHERE request_id = :id")
			.bind("id", event.requestId())
			.map((row) -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
		assertThat(upstreamId).isEqualTo("req_011CUpstream");
	}

	private static UsageEvent usage(String requestId, long tenantId, KeyGrant grant, TokenCounts tokens,
			BillingMode mode) {
		return new UsageEvent(requestId, tenantId, grant.keyId(), grant.groupId(), null, "claude-x",
				"claude-sonnet-4-5", false, tokens, false, Outcome.OK, 200, Instant.parse("2025-06-01T00:00:00Z"), 10,
				null, mode, new BigDecimal("1.5"));
	}

	private BigDecimal balanceAfter(String requestId) {
		return this.db.sql("SELECT balance_after FROM ledger_entry WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private BigDecimal balance(long tenantId) {
		return this.db.sql("SELECT balance FROM tenant WHERE id = :id")
			.bind("id", tenantId)
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

}
