package io.tollgate.gateway.messages;

import java.io.File;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Tollgate process killed with {@code SIGKILL} right after its responses
 * completed, with usage writes held back so that nothing reached the database before the
 * kill: after a restart on the same data directory, every completed request has exactly
 * one usage record and one charge, replayed from the journal.
 */
class JournalKillIntegrationTests {

	static final String CREDENTIAL = "sk-ant-kill";

	static final String KEY = "tg-kill-0000000000000000000000000000000000";

	static final FakeUpstream fake = FakeUpstream.start();

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void everyCompletedRequestIsBilledExactlyOnceAfterTheProcessIsKilled() throws Exception {
		ExternalServices.Database database = ExternalServices.freshPostgresDatabase();
		Map<String, String> properties = new LinkedHashMap<>();
		database.register((name, value) -> properties.put(name, String.valueOf(value.get())));
		Path dataDir = Files.createTempDirectory("tollgate-kill");
		Path bootstrap = dataDir.resolve("bootstrap.yml");
		Files.writeString(bootstrap,
				"""
						tenants:
						  - name: victim
						    balance: "10"
						accounts:
						  - {name: main, platform: anthropic, base-url: %s, credential: %s}
						groups:
						  - name: claude
						    platform: anthropic
						    model-mapping: {"claude-*": "claude-sonnet-4-5"}
						    accounts: [main]
						prices:
						  - {model: "claude-*", input: "3", output: "15", cache-write-5m: "3.75", cache-write-1h: "6", cache-read: "0.30"}
						keys:
						  - {name: k, tenant: victim, group: claude, key: %s}
						"""
					.formatted(fake.baseUrl(), CREDENTIAL, KEY));
		properties.put("tollgate.data-dir", dataDir.toString());
		properties.put("tollgate.bootstrap-file", bootstrap.toString());
		fake.script(CREDENTIAL).reply(AnthropicReply.create().text("ok").inputTokens(100).outputTokens(200)).always();
		HttpClient client = HttpClient.newHttpClient();
		List<String> completed = new ArrayList<>();
		int port = freePort();
		// the first run writes nothing to the database by itself
		Process first = start(properties, port, "1h");
		try {
			awaitUp(client, port);
			for (int i = 0; i < 12; i++) {
				HttpResponse<String> response = client.send(post(port, i % 2 == 0),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(200);
				completed.add(response.headers().firstValue("request-id").orElseThrow());
			}
		}
		finally {
			first.destroyForcibly();
			first.waitFor(30, TimeUnit.SECONDS);
		}
		assertThat(count(database, "SELECT COUNT(*) FROM usage_record")).as("nothing written before the kill").isZero();
		Process second = start(properties, port, "50ms");
		try {
			awaitUp(client, port);
			for (String requestId : completed) {
				assertThat(count(database, "SELECT COUNT(*) FROM usage_record WHERE request_id = '" + requestId + "'"))
					.as(requestId)
					.isEqualTo(1);
				assertThat(count(database,
						"SELECT COUNT(*) FROM ledger_entry WHERE kind = 'usage' AND request_id = '" + requestId + "'"))
					.as(requestId)
					.isEqualTo(1);
			}
			assertThat(count(database, "SELECT COUNT(*) FROM usage_record")).isEqualTo(completed.size());
			// 100 * 3 + 200 * 15 = 3300 per million per request
			BigDecimal balance = decimal(database, "SELECT balance FROM tenant WHERE name = 'victim'");
			assertThat(balance).isEqualByComparingTo(new BigDecimal("10")
				.subtract(new BigDecimal("0.0033").multiply(BigDecimal.valueOf(completed.size()))));
			assertThat(decimal(database, "SELECT SUM(amount) FROM ledger_entry")).isEqualByComparingTo(balance);
			try (var journal = Files.list(dataDir.resolve("journal"))) {
				assertThat(journal.filter((file) -> file.toFile().length() > 0)).as("replayed and dropped").isEmpty();
			}
		}
		finally {
			second.destroy();
			second.waitFor(30, TimeUnit.SECONDS);
			client.shutdownNow();
		}
	}

	private static Process start(Map<String, String> properties, int port, String flushInterval) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(
				List.of(java, "-cp", System.getProperty("java.class.path"), TollgateApplication.class.getName(),
						"--server.port=" + port, "--tollgate.billing.usage-flush-interval=" + flushInterval));
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		File log = Files.createTempFile("tollgate-kill", ".log").toFile();
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private static void awaitUp(HttpClient client, int port) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
				.build();
			return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		});
	}

	private static HttpRequest post(int port, boolean stream) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
			.header("x-api-key", KEY)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-x\",\"max_tokens\":300,\"stream\":" + stream
					+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static long count(ExternalServices.Database database, String sql) throws Exception {
		return query(database, sql).longValue();
	}

	private static BigDecimal decimal(ExternalServices.Database database, String sql) throws Exception {
		return query(database, sql);
	}

	private static BigDecimal query(ExternalServices.Database database, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:" + database.url(), database.username(),
				database.password());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getBigDecimal(1);
		}
	}

}
