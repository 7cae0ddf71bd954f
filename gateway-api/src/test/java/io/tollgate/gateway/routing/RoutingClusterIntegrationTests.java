package io.tollgate.gateway.routing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.Gate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Tollgate nodes on this machine sharing one PostgreSQL database and one Redis: a
 * conversation stays on one account whichever node serves it, an account's concurrency
 * limit holds across both, and cooldowns and resets reach the other node.
 */
class RoutingClusterIntegrationTests {

	private static FakeUpstream fake;

	private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private static final List<Integer> ports = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@BeforeAll
	static void startTwoNodes() throws IOException {
		fake = FakeUpstream.start();
		Map<String, Object> properties = new LinkedHashMap<>();
		GatewayTestSupport.register((name, value) -> properties.put(name, value.get()), fake);
		ExternalServices.freshPostgresDatabase().register((name, value) -> properties.put(name, value.get()));
		ExternalServices.redis().register((name, value) -> properties.put(name, value.get()));
		properties.put("server.port", "0");
		properties.put("tollgate.routing.account-wait", "300ms");
		properties.put("tollgate.routing.health-refresh", "100ms");
		for (int node = 0; node < 2; node++) {
			properties.put("tollgate.data-dir", Files.createTempDirectory("tollgate-node").toString());
			String[] args = properties.entrySet()
				.stream()
				.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new);
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TollgateApplication.class).run(args);
			nodes.add(context);
			ports.add(Integer.valueOf(context.getEnvironment().getRequiredProperty("local.server.port")));
		}
	}

	@AfterAll
	static void stopNodes() {
		nodes.forEach(ConfigurableApplicationContext::close);
		if (fake != null) {
			fake.close();
		}
	}

	@BeforeEach
	void resetUpstream() {
		fake.reset();
		nodes.forEach((node) -> GatewayTestSupport.resetHealth(node.getBean(AccountHealthBoard.class)));
	}

	private HttpRequest request(int node, String key, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(node) + "/v1/messages"))
			.header("x-api-key", key)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private HttpResponse<String> send(int node, String key, String body) {
		return this.http.sendAsync(request(node, key, body), HttpResponse.BodyHandlers.ofString()).join();
	}

	private static String message(String extra, String text) {
		return "{\"model\":\"claude-x\",\"max_tokens\":8," + extra + "\"messages\":[{\"role\":\"user\",\"content\":\""
				+ text + "\"}]}";
	}

	private static AccountHealth health(int node, String account) {
		long id = GatewayTestSupport.accountId(nodes.get(node).getBean(Directory.class), account);
		return nodes.get(node)
			.getBean(AccountHealthBoard.class)
			.all()
			.block()
			.stream()
			.filter((health) -> health.accountId() == id)
			.findFirst()
			.orElseThrow();
	}

	@Test
	void keepsAConversationOnOneAccountWhicheverNodeServesIt() {
		for (String session : List.of("cluster-1", "cluster-2", "cluster-3")) {
			String metadata = "\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"" + session + "\\\"}\"},";
			List<String> credentials = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				assertThat(send(i % 2, GatewayTestSupport.ROUTING_KEY, message(metadata, "turn " + i)).statusCode())
					.isEqualTo(200);
				credentials.add(fake.lastRequest().credential());
			}
			assertThat(credentials).containsOnly(credentials.get(0));
		}
		// without stickiness the two accounts would share the load
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_A)).isNotEmpty();
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_B)).isNotEmpty();
	}

	@Test
	void holdsAnAccountsConcurrencyLimitAcrossBothNodes() {
		Gate gate = fake.hold();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			responses.add(this.http.sendAsync(request(i % 2, GatewayTestSupport.LIMITED_KEY, message("", "p" + i)),
					HttpResponse.BodyHandlers.ofString()));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> responses.stream().filter(CompletableFuture::isDone).count() == 2);
		assertThat(gate.waiting()).isEqualTo(2);
		gate.release();
		assertThat(responses.stream().map((response) -> response.join().statusCode())).containsExactlyInAnyOrder(200,
				200, 529, 529);
		assertThat(fake.maxInFlight()).isEqualTo(2);
		for (int i = 0; i < 4; i++) {
			assertThat(send(i % 2, GatewayTestSupport.LIMITED_KEY, message("", "after " + i)).statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void sharesCooldownsAndResetsBetweenNodes() {
		String preferA = "\"gateway\":{\"order\":[\"route-a\"]},";
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).rateLimited(Duration.ofSeconds(60));
		assertThat(send(0, GatewayTestSupport.ROUTING_KEY, message(preferA, "one")).statusCode()).isEqualTo(200);
		assertThat(fake.lastRequest().credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
		await().atMost(Duration.ofSeconds(5)).until(() -> health(1, "route-a").state().equals("cooling_down"));
		assertThat(send(1, GatewayTestSupport.ROUTING_KEY, message(preferA, "two")).statusCode()).isEqualTo(200);
		assertThat(fake.lastRequest().credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_A)).hasSize(1);

		long routeA = GatewayTestSupport.accountId(nodes.get(0).getBean(Directory.class), "route-a");
		nodes.get(0).getBean(AccountHealthBoard.class).reset(routeA).block();
		await().atMost(Duration.ofSeconds(5)).until(() -> health(1, "route-a").state().equals("healthy"));
		assertThat(send(1, GatewayTestSupport.ROUTING_KEY, message(preferA, "three")).statusCode()).isEqualTo(200);
		assertThat(fake.lastRequest().credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_A);
	}

}
