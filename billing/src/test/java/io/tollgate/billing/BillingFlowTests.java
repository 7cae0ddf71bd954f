package io.tollgate.billing;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.internal.UsageWriter;
import org.junit.jupiter.api.Test;

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
