package io.tollgate.gateway.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.gateway.TollgateApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection limits against the real Netty server: one address may hold two
 * connections, the node three; the next one gets 503 in the Anthropic envelope and is
 * closed, and a closed connection frees its place.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"tollgate.gateway.edge.max-connections=3", "tollgate.gateway.edge.max-connections-per-address=2" })
class EdgeConnectionLimitTests {

	private final List<RawHttp> open = new ArrayList<>();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry registry) throws IOException {
		Path dataDir = Files.createTempDirectory("tollgate-edge-limits");
		registry.add("tollgate.data-dir", dataDir::toString);
	}

	@AfterEach
	void closeAll() {
		this.open.forEach(RawHttp::close);
	}

	/** A connection that is served: it answers a request and stays open. */
	private RawHttp served(String from) {
		RawHttp http = RawHttp.connect(this.port, from);
		this.open.add(http);
		RawHttp.Response response = http.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
		assertThat(response.status()).isEqualTo(200);
		return http;
	}

	private void assertRefused(String from, String message) {
		try (RawHttp http = RawHttp.connect(this.port, from)) {
			RawHttp.Response response = http.read();
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.header("request-id")).startsWith("req_");
			assertThat(response.header("retry-after")).isEqualTo("1");
			assertThat(response.body()).contains("\"type\":\"overloaded_error\"").contains(message);
			assertThat(http.closedWithin(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void refusesConnectionsBeyondThePerAddressAndTotalLimits() {
		served("127.0.0.1");
		RawHttp second = served("127.0.0.1");
		assertRefused("127.0.0.1", "Too many open connections from this address");
		served("127.0.0.2");
		assertRefused("127.0.0.3", "Too many open connections");

		second.close();
		// the server sees the close asynchronously: the place frees up shortly after
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			try (RawHttp http = RawHttp.connect(this.port, "127.0.0.1")) {
				assertThat(http.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(200);
			}
		});
	}

}
