package io.tollgate.billing.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.journal.FileUsageJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose usage the database cannot store — a model longer than its column, a NUL
 * or a lone surrogate in it, reached through a glob mapping with a matching price — fed
 * straight to the recorder and to the journal a killed node left: the rest is written,
 * the poison quarantined with its reason and counted, and the node starts again over the
 * same database and journal. Run on H2 and on PostgreSQL by the subclasses.
 */
abstract class UsagePoisonTests {

	static final String KEY = "tg-test-key-0000000000000000000000000000";

	/**
	 * Longer than usage_record's 200 characters, still matched by the price
	 * "claude-sonnet-*".
	 */
	static final String LONG_MODEL = "claude-sonnet-4-5-" + "x".repeat(300);

	@TempDir
	Path dataDir;

	/** Properties pointing a node at this test's database; empty for the embedded H2. */
	abstract Map<String, Object> database();

	@Test
	void writesTheRestQuarantinesThePoisonAndStartsAgainOverTheJournalItLeft() throws Exception {
		Map<String, Object> properties = properties();
		List<String> poisons = List.of("req_poison_long", "req_poison_nul", "req_poison_surrogate");
		try (ConfigurableApplicationContext node = start(properties)) {
			KeyGrant grant = node.getBean(Directory.class).authenticate(KEY).orElseThrow();
			UsageRecorder recorder = node.getBean(UsageRecorder.class);
			recorder.record(usage("req_good_1", grant, "claude-sonnet-4-5"));
			recorder.record(usage("req_poison_long", grant, LONG_MODEL));
			recorder.record(usage("req_good_2", grant, "claude-sonnet-4-5"));
			recorder.record(usage("req_poison_nul", grant, "claude-sonnet-4-5\u0000x"));
			recorder.record(usage("req_poison_surrogate", grant, "claude-sonnet-4-5\ud800x"));
			recorder.record(usage("req_good_3", grant, "claude-sonnet-4-5"));
			recorder.flush().block(Duration.ofSeconds(30));

			DatabaseClient db = node.getBean(DatabaseClient.class);
			for (String good : List.of("req_good_1", "req_good_2", "req_good_3")) {
				assertThat(count(db, "usage_record", good)).as(good).isEqualTo(1);
				assertThat(count(db, "ledger_entry", good)).as(good).isEqualTo(1);
			}
			assertThat(count(db, "usage_record", "req_poison_long")).isZero();
			assertThat(count(db, "usage_quarantine", "req_poison_long")).isEqualTo(1);
			assertThat(reason(db, "req_poison_long")).contains("22001");
			// a NUL is refused by PostgreSQL (22021) and kept by H2; a lone surrogate is
			// stored by both (PostgreSQL's driver replaces it): never lost, never twice
			for (String poison : poisons) {
				assertThat(count(db, "usage_record", poison) + count(db, "usage_quarantine", poison)).as(poison)
					.isEqualTo(1);
				assertThat(count(db, "ledger_entry", poison)).as(poison).isEqualTo(count(db, "usage_record", poison));
			}
			long quarantined = poisons.stream().mapToLong((poison) -> count(db, "usage_quarantine", poison)).sum();
			assertThat(node.getBean(MeterRegistry.class)
				.counter("tollgate.usage.quarantined", "cause", "rejected")
				.count()).isEqualTo(quarantined);
			assertThat(node.getBean(UsageQuarantine.class).page(0, 10).block(Duration.ofSeconds(10)))
				.extracting(QuarantinedUsage::requestId)
				.contains("req_poison_long");
			assertThat(leftOver()).as("written and quarantined entries leave the journal").isEmpty();
			grantTenant = grant;
		}

		// the node is killed with a poison record, one already written, one not yet, and
		// a
		// line cut short in its journal
		FileUsageJournal killed = new FileUsageJournal(this.dataDir.resolve("journal"), 16L * 1024 * 1024);
		killed.append(usage("req_poison_replayed", grantTenant, LONG_MODEL));
		killed.append(usage("req_good_1", grantTenant, "claude-sonnet-4-5"));
		killed.append(usage("req_good_4", grantTenant, "claude-sonnet-4-5"));
		Files.writeString(this.dataDir.resolve("journal").resolve("usage-000000000000000-000000.jsonl"),
				"{\"requestId\":\"req_cut\",\"tenantId\":1,\"keyI", StandardCharsets.UTF_8);

		try (ConfigurableApplicationContext restarted = start(properties)) {
			DatabaseClient db = restarted.getBean(DatabaseClient.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "usage_record", "req_good_4") == 1);
			await().atMost(Duration.ofSeconds(30)).until(() -> leftOver().isEmpty());
			assertThat(count(db, "usage_record", "req_good_1")).isEqualTo(1);
			assertThat(count(db, "ledger_entry", "req_good_1")).isEqualTo(1);
			assertThat(count(db, "ledger_entry", "req_good_4")).isEqualTo(1);
			assertThat(count(db, "usage_record", "req_poison_replayed")).isZero();
			assertThat(count(db, "usage_quarantine", "req_poison_replayed")).isEqualTo(1);
			assertThat(db
				.sql("SELECT COUNT(*) FROM usage_quarantine WHERE request_id LIKE 'unreadable:%' "
						+ "AND event_json LIKE '%req_cut%'")
				.map((row) -> row.get(0, Long.class))
				.one()
				.block(Duration.ofSeconds(10))).isEqualTo(1);
			assertThat(restarted.getBean(MeterRegistry.class)
				.counter("tollgate.usage.quarantined", "cause", "unreadable")
				.count()).isEqualTo(1);
			BigDecimal ledger = db.sql("SELECT SUM(amount) FROM ledger_entry WHERE tenant_id = :id")
				.bind("id", grantTenant.tenant().id())
				.map((row) -> row.get(0, BigDecimal.class))
				.one()
				.block(Duration.ofSeconds(10));
			BigDecimal balance = db.sql("SELECT balance FROM tenant WHERE id = :id")
				.bind("id", grantTenant.tenant().id())
				.map((row) -> row.get(0, BigDecimal.class))
				.one()
				.block(Duration.ofSeconds(10));
			assertThat(balance).as("the balance is the sum of its ledger, the opening balance included")
				.isEqualByComparingTo(ledger)
				.isLessThan(new BigDecimal("10"));
		}
	}

	private KeyGrant grantTenant;

	private Map<String, Object> properties() throws Exception {
		Map<String, Object> properties = new HashMap<>(database());
		properties.put("tollgate.data-dir", this.dataDir.toString());
		properties.put("tollgate.bootstrap-file", new ClassPathResource("bootstrap-test.yml").getFile().getPath());
		properties.put("tollgate.billing.usage-flush-interval", "1h");
		return properties;
	}

	static ConfigurableApplicationContext start(Map<String, Object> properties) {
		String[] arguments = properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(BillingTestApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("testMeterRegistry", new SimpleMeterRegistry()))
			.run(arguments);
	}

	private List<?> leftOver() {
		FileUsageJournal journal = new FileUsageJournal(this.dataDir.resolve("journal"), 16L * 1024 * 1024);
		try {
			return journal.leftOver();
		}
		finally {
			journal.close();
		}
	}

	static UsageEvent usage(String requestId, KeyGrant grant, String model) {
		return new UsageEvent(requestId, grant.tenant().id(), grant.keyId(), grant.groupId(), null, model, model, true,
				new TokenCounts(1000, 2000, 0, 0, 0), false, Outcome.OK, 200, Instant.parse("2025-06-01T00:00:00Z"),
				1200, 300L, BillingMode.BALANCE, new BigDecimal("1.5"));
	}

	static long count(DatabaseClient db, String table, String requestId) {
		return db.sql("SELECT COUNT(*) FROM " + table + " WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	static String reason(DatabaseClient db, String requestId) {
		return db.sql("SELECT reason FROM usage_quarantine WHERE request_id = :id")
			.bind("id", requestId)
			.map((row) -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

}
