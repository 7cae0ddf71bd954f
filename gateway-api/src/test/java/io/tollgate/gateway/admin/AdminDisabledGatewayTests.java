package io.tollgate.gateway.admin;

import java.time.Duration;
import java.util.List;

import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A gateway-only node ({@code tollgate.admin.enabled=false}): no console, no admin API,
 * no OpenAPI document; tenant requests unaffected.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdminDisabledGatewayTests {

	static final FakeUpstream fake = FakeUpstream.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
		registry.add("tollgate.admin.enabled", () -> "false");
	}

	@LocalServerPort
	int port;

	@Test
	void theAdminPlaneIsAbsentAndTenantsAreServed() {
		WebTestClient http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		for (String path : List.of("/admin", "/admin/login", "/admin/tenants", "/api/admin/tenants",
				"/api/admin/openapi")) {
			http.get().uri(path).exchange().expectStatus().isNotFound();
		}
		http.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.KEY)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"model":"claude-x","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}""")
			.exchange()
			.expectStatus()
			.isOk();
	}

}
