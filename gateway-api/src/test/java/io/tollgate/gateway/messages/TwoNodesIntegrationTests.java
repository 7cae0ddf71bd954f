package io.tollgate.gateway.messages;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.billing.usage.UsageRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Tollgate nodes sharing PostgreSQL and Redis, hammered in parallel through one key:
 * together they never run more of its requests at once than its concurrency limit, never
 * spend its tenant's balance below the reserve, bill each answered request exactly once,
 * and both stop accepting a revoked key within seconds.
 */
class TwoNodesIntegrationTests {

	static final String CREDENTIAL = "sk-ant-two-nodes";

	static final String KEY = "tg-two-nodes-00000000000000000000000000000";

	static final FakeUpstream fake = FakeUpstream.start();

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	@BeforeAll
	static void start() throws Exception {
		ExternalServices.Database database = ExternalServices.freshPostgresDatabase();
		ExternalServices.Redis redis = ExternalServices.redis();
		Map<String, Object> properties = new HashMap<>();
		database.register((name, value) -> properties.put(name, value.get()));
		redis.register((name, value) -> properties.put(name, value.get()));
		Path bootstrap = Files.createTempFile("tollgate-two-nodes", ".yml");
		Files.writeString(bootstrap, """
				tenants:
				  - name: shared
				    balance: "0.05"
				accounts:
				  - name: main
				    platform: anthropic
				    base-url: %s
				    credential: %s
				groups:
				  - name: claude
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts: [main]
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				    cache-write-5m: "3.75"
				    cache-write-1h: "6"
				    cache-read: "0.30"
				keys:
				  - {name: busy, tenant: shared, group: claude, key: %s, concurrency: 3}
				""".formatted(fake.baseUrl(), CREDENTIAL, KEY));
		properties.put("tollgate.bootstrap-file", bootstrap.toString());
		properties.put("tollgate.billing.balance-reserve", "0.01");
		properties.put("tollgate.billing.concurrency-wait", "100ms");
		properties.put("tollgate.billing.usage-flush-interval", "50ms");
		properties.put("tollgate.billing.directory-poll-interval", "200ms");
		properties.put("server.port", "0");
		one = node(properties, "one");
		two = node(properties, "two");
	}

	private static ConfigurableApplicationContext node(Map<String, Object> properties, String name) throws Exception {
		Map<String, Object> own = new HashMap<>(properties);
		own.put("tollgate.data-dir", Files.createTempDirectory("tollgate-node-" + name).toString());
		// as arguments: they must win over application.yml, as the environment would
		String[] arguments = own.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(TollgateApplication.class).run(arguments);
	}

	@AfterAll
	static void stop() {
		if (one != null) {
			one.close();
		}
		if (two != null) {
			two.close();
		}
		fake.close();
	}

	@Test
	void parallelRequestsOnTwoNodesRespectTheKeysConcurrencyAndTheBalanceReserve() throws Exception {
		// each answer costs 10 * 3 + 100 * 15 = 1530 per million = 0.00153
		fake.script(CREDENTIAL)
			.reply(AnthropicReply.create().text("ok").inputTokens(10).outputTokens(100))
			.delayFirstByte(Duration.ofMillis(40))
			.always();
		HttpClient client = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		try {
			for (int round = 0; round < 12; round++) {
				List<CompletableFuture<HttpResponse<String>>> wave = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					wave.add(client.sendAsync(post((i % 2 == 0) ? one : two), HttpResponse.BodyHandlers.ofString()));
				}
				CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).join();
				responses.addAll(wave);
			}
		}
		finally {
			client.shutdownNow();
		}
		Map<Integer, Integer> statuses = new HashMap<>();
		for (var response : responses) {
			statuses.merge(response.get().statusCode(), 1, Integer::sum);
		}
		int answered = statuses.getOrDefault(200, 0);
		assertThat(answered).as("statuses %s", statuses).isGreaterThan(5);
		assertThat(statuses.keySet()).as("statuses %s", statuses).containsAnyOf(402).isSubsetOf(200, 402, 429);
		assertThat(fake.maxInFlight()).isLessThanOrEqualTo(3);
		one.getBean(UsageRecorder.class).flush().block(Duration.ofSeconds(10));
		two.getBean(UsageRecorder.class).flush().block(Duration.ofSeconds(10));
		DatabaseClient db = one.getBean(DatabaseClient.class);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> count(db, "SELECT COUNT(*) FROM usage_record WHERE outcome = 'ok'") == answered);
		assertThat(count(db, "SELECT COUNT(*) FROM ledger_entry WHERE kind = 'usage'")).isEqualTo(answered);
		BigDecimal balance = decimal(db, "SELECT balance FROM tenant WHERE name = 'shared'");
		assertThat(balance).as("never below the reserve").isGreaterThanOrEqualTo(new BigDecimal("0.01"));
		assertThat(balance).isEqualByComparingTo(
				new BigDecimal("0.05").subtract(new BigDecimal("0.00153").multiply(BigDecimal.valueOf(answered))));
		assertThat(decimal(db, "SELECT SUM(amount) FROM ledger_entry")).as("the balance is the sum of its ledger")
			.isEqualByComparingTo(balance);
	}

	@Test
	void aRevokedKeyIsRefusedByEveryNodeWithinSeconds() throws Exception {
		DatabaseClient db = one.getBean(DatabaseClient.class);
		String other = "tg-two-nodes-revoked-00000000000000000000";
		db.sql("INSERT INTO api_key (tenant_id, group_id, name, display_prefix, key_hash) SELECT t.id, g.id, 'doomed', "
				+ "'tg-two-nod', :hash FROM tenant t, api_group g WHERE t.name = 'shared' AND g.name = 'claude'")
			.bind("hash", io.tollgate.billing.key.ApiKeys.hash(other))
			.then()
			.then(db.sql("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").then())
			.block(Duration.ofSeconds(10));
		HttpClient client = HttpClient.newHttpClient();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> status(client, one, other) != 401 && status(client, two, other) != 401);
			db.sql("UPDATE api_key SET status = 'revoked' WHERE name = 'doomed'")
				.then()
				.then(db.sql("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").then())
				.block(Duration.ofSeconds(10));
			long revokedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> status(client, one, other) == 401 && status(client, two, other) == 401);
			assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
		}
		finally {
			client.shutdownNow();
		}
	}

	private static int status(HttpClient client, ConfigurableApplicationContext node, String key) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base(node) + "/v1/messages/count_tokens"))
			.header("x-api-key", key)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static HttpRequest post(ConfigurableApplicationContext node) {
		return HttpRequest.newBuilder(URI.create(base(node) + "/v1/messages"))
			.header("x-api-key", KEY)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"model\":\"claude-x\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
	}

	private static String base(ConfigurableApplicationContext node) {
		return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
	}

	private static long count(DatabaseClient db, String sql) {
		return db.sql(sql).map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

	private static BigDecimal decimal(DatabaseClient db, String sql) {
		return db.sql(sql).map((row) -> row.get(0, BigDecimal.class)).one().block(Duration.ofSeconds(10));
	}

}
