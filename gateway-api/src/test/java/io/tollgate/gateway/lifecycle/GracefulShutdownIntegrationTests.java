package io.tollgate.gateway.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node being stopped on PostgreSQL and Redis: it stops accepting connections, lets the
 * stream in flight finish within the grace period, writes its usage, and leaves no
 * concurrency permit behind in Redis.
 */
class GracefulShutdownIntegrationTests {

	static final String CREDENTIAL = "sk-ant-shutdown";

	static final String KEY = "tg-shutdown-0000000000000000000000000000";

	static final FakeUpstream fake = FakeUpstream.start();

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void aStoppingNodeFinishesItsStreamWritesItsUsageAndReleasesItsPermits() throws Exception {
		ExternalServices.Database database = ExternalServices.freshPostgresDatabase();
		ExternalServices.Redis redis = ExternalServices.redis();
		ConfigurableApplicationContext node = start(database, redis);
		int port = Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
		HttpResponse<String> readiness = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"r2dbc\"").contains("\"redis\"").contains("\"readinessState\"");
		fake.script(CREDENTIAL)
			.reply(AnthropicReply.create()
				.text("one ", "two ", "three ", "four ", "five")
				.inputTokens(10)
				.outputTokens(20))
			.eventDelay(Duration.ofMillis(400));

		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
				.header("x-api-key", KEY)
				.header("content-type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-x\",\"max_tokens\":100,\"stream\":true,"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		String requestId = response.headers().firstValue("request-id").orElseThrow();
		BufferedReader stream = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
		StringBuilder received = new StringBuilder();
		readUntil(stream, received, "message_start");
		try (RedisClient client = RedisClient.create(redis.url());
				StatefulRedisConnection<String, String> redisConnection = client.connect()) {
			assertThat(permitsHeld(redisConnection, redis.prefix())).as("permits while streaming").isPositive();

			CompletableFuture<Void> stopping = CompletableFuture.runAsync(node::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
			assertThat(stopping).isNotDone();

			readUntil(stream, received, null);
			stopping.get(60, TimeUnit.SECONDS);
			assertThat(received.toString()).contains("event: message_stop").doesNotContain("event: error");
			assertThat(received.toString()).contains("five");
			assertThat(permitsHeld(redisConnection, redis.prefix())).as("permits after stop").isZero();
			assertThat(journalLength(redisConnection, redis.prefix())).as("journal after stop").isZero();
		}
		try (Connection connection = DriverManager.getConnection("jdbc:" + database.url(), database.username(),
				database.password());
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT outcome, output_tokens FROM usage_record WHERE request_id = '"
							+ requestId.replace("'", "") + "'")) {
			assertThat(rows.next()).as("usage of the finished stream is in the database").isTrue();
			assertThat(rows.getString(1)).isEqualTo("ok");
			assertThat(rows.getLong(2)).isEqualTo(20);
		}
	}

	private static void readUntil(BufferedReader stream, StringBuilder received, String marker) throws IOException {
		String line;
		while ((line = stream.readLine()) != null) {
			received.append(line).append('\n');
			if (marker != null && line.contains(marker)) {
				return;
			}
		}
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static long permitsHeld(StatefulRedisConnection<String, String> connection, String prefix) {
		List<String> keys = connection.sync().scan(ScanArgs.Builder.matches(prefix + "*permit*").limit(1000)).getKeys();
		return keys.stream().mapToLong((key) -> connection.sync().zcard(key)).sum();
	}

	private static long journalLength(StatefulRedisConnection<String, String> connection, String prefix) {
		List<String> keys = connection.sync()
			.scan(ScanArgs.Builder.matches(prefix + "*journal*").limit(1000))
			.getKeys();
		return keys.stream().mapToLong((key) -> connection.sync().xlen(key)).sum();
	}

	private static ConfigurableApplicationContext start(ExternalServices.Database database,
			ExternalServices.Redis redis) throws Exception {
		Map<String, Object> properties = new HashMap<>();
		database.register((name, value) -> properties.put(name, value.get()));
		redis.register((name, value) -> properties.put(name, value.get()));
		Path bootstrap = Files.createTempFile("tollgate-shutdown", ".yml");
		Files.writeString(bootstrap, """
				tenants:
				  - name: stopping
				    balance: "10"
				accounts:
				  - name: main
				    platform: anthropic
				    base-url: %s
				    credential: %s
				    concurrency: 4
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
				keys:
				  - {name: streaming, tenant: stopping, group: claude, key: %s, concurrency: 2}
				""".formatted(fake.baseUrl(), CREDENTIAL, KEY));
		properties.put("tollgate.bootstrap-file", bootstrap.toString());
		properties.put("tollgate.data-dir", Files.createTempDirectory("tollgate-shutdown").toString());
		properties.put("tollgate.shutdown-grace-period", "30s");
		properties.put("tollgate.billing.usage-flush-interval", "1h");
		properties.put("server.port", "0");
		properties.put("management.endpoint.health.show-components", "always");
		String[] arguments = properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(TollgateApplication.class).run(arguments);
	}

}
