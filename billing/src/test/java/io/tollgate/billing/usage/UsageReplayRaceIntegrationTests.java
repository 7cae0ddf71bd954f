package io.tollgate.billing.usage;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.billing.usage.journal.Journaled;
import io.tollgate.billing.usage.journal.RedisUsageJournal;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node killed with usage in the shared Redis journal; two nodes start at once and both
 * replay it while a third, still running, writes the very same entries. Nobody crashes,
 * every request is recorded and charged exactly once, and the journal ends empty.
 */
class UsageReplayRaceIntegrationTests {

	static final int REQUESTS = 400;

	@Test
	void twoNodesReplayingWhileAThirdWritesTheSameEntriesRecordAndChargeEachOnce() throws Exception {
		ExternalServices.Database database = ExternalServices.freshPostgresDatabase();
		ExternalServices.Redis redis = ExternalServices.redis();
		Map<String, Object> shared = new HashMap<>();
		database.register((name, value) -> shared.put(name, value.get()));
		redis.register((name, value) -> shared.put(name, value.get()));
		shared.put("tollgate.billing.usage-flush-interval", "20ms");
		shared.put("tollgate.billing.usage-batch-size", "50");

		Map<String, Object> first = node(shared);
		first.put("tollgate.bootstrap-file", new ClassPathResource("bootstrap-test.yml").getFile().getPath());
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		try (RedisConnections killed = new RedisConnections(redis.url(), redis.prefix())) {
			ConfigurableApplicationContext writer = UsagePoisonTests.start(first);
			nodes.add(writer);
			KeyGrant grant = writer.getBean(Directory.class).authenticate(UsagePoisonTests.KEY).orElseThrow();
			List<UsageEvent> events = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				events.add(UsagePoisonTests.usage("req_race_" + i, grant, "claude-sonnet-4-5"));
			}
			// what a killed node left: journaled, never written
			RedisUsageJournal left = new RedisUsageJournal(killed);
			List<Journaled> entries = events.stream().map(left::append).toList();
			await().atMost(Duration.ofSeconds(20)).until(() -> xlen(killed) == REQUESTS);
			assertThat(entries).hasSize(REQUESTS);

			Map<String, Object> background = node(shared);
			background.put("tollgate.billing.replay.start-wait", "0s");
			CompletableFuture<ConfigurableApplicationContext> two = CompletableFuture
				.supplyAsync(() -> UsagePoisonTests.start(background));
			CompletableFuture<ConfigurableApplicationContext> three = CompletableFuture
				.supplyAsync(() -> UsagePoisonTests.start(node(shared)));
			UsageRecorder live = writer.getBean(UsageRecorder.class);
			events.forEach(live::record);
			nodes.add(two.get());
			nodes.add(three.get());
			live.flush().block(Duration.ofSeconds(60));

			DatabaseClient db = writer.getBean(DatabaseClient.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> xlen(killed) == 0);
			assertThat(count(db, "SELECT COUNT(*) FROM usage_record WHERE request_id LIKE 'req_race_%'"))
				.isEqualTo(REQUESTS);
			assertThat(count(db,
					"SELECT COUNT(DISTINCT request_id) FROM usage_record WHERE request_id LIKE " + "'req_race_%'"))
				.isEqualTo(REQUESTS);
			assertThat(count(db, "SELECT COUNT(*) FROM ledger_entry WHERE request_id LIKE 'req_race_%'"))
				.isEqualTo(REQUESTS);
			assertThat(count(db, "SELECT COUNT(*) FROM usage_quarantine")).isZero();
			BigDecimal ledger = db.sql("SELECT SUM(amount) FROM ledger_entry WHERE tenant_id = :id")
				.bind("id", grant.tenant().id())
				.map((row) -> row.get(0, BigDecimal.class))
				.one()
				.block(Duration.ofSeconds(10));
			BigDecimal balance = db.sql("SELECT balance FROM tenant WHERE id = :id")
				.bind("id", grant.tenant().id())
				.map((row) -> row.get(0, BigDecimal.class))
				.one()
				.block(Duration.ofSeconds(10));
			// each request: 1000 * 3 + 2000 * 15 = 33000 per million, times 1.5
			assertThat(balance).isEqualByComparingTo(ledger)
				.isEqualByComparingTo(
						new BigDecimal("10").subtract(new BigDecimal("0.0495").multiply(BigDecimal.valueOf(REQUESTS))));
		}
		finally {
			nodes.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static Map<String, Object> node(Map<String, Object> shared) {
		Map<String, Object> properties = new HashMap<>(shared);
		try {
			properties.put("tollgate.data-dir", Files.createTempDirectory("tollgate-replay-race").toString());
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return properties;
	}

	private static long xlen(RedisConnections redis) {
		return redis.strings().sync().xlen(redis.key("journal", "usage"));
	}

	private static long count(DatabaseClient db, String sql) {
		return db.sql(sql).map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

}
