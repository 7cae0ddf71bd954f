package io.tollgate.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.InternalServerException;
import com.anthropic.models.messages.MessageCreateParams;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The failover deadline: an account that fails after the deadline has passed is not
 * followed by another attempt; the client gets that failure.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.routing.failover-deadline=300ms", "tollgate.routing.health-refresh=100ms" })
class FailoverDeadlineTests {

	static final FakeUpstream fake = FakeUpstream.start();

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

	@BeforeEach
	void reset() {
		fake.reset();
		GatewayTestSupport.resetHealth(this.health);
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	private AnthropicClient client() {
		return AnthropicOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.apiKey(GatewayTestSupport.ROUTING_KEY)
			.maxRetries(0)
			.build();
	}

	private static MessageCreateParams preferringRouteA(String text) {
		return MessageCreateParams.builder()
			.model("claude-x")
			.maxTokens(64)
			.addUserMessage(text)
			.putAdditionalBodyProperty("gateway", JsonValue.from(Map.of("order", List.of("route-a"))))
			.build();
	}

	@Test
	void aFailureWithinTheDeadlineFailsOver() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A).error(500, "api_error", "Internal server error");
		client().messages().create(preferringRouteA("quick failure"));
		assertThat(fake.lastRequest().credential()).isEqualTo(GatewayTestSupport.CREDENTIAL_ROUTE_B);
	}

	@Test
	void aFailureAfterTheDeadlineIsTheAnswer() {
		fake.script(GatewayTestSupport.CREDENTIAL_ROUTE_A)
			.error(500, "api_error", "Internal server error")
			.delayFirstByte(Duration.ofMillis(800));
		assertThatExceptionOfType(InternalServerException.class)
			.isThrownBy(() -> client().messages().create(preferringRouteA("slow failure")))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(500));
		assertThat(fake.requests(GatewayTestSupport.CREDENTIAL_ROUTE_B)).as("no attempt after the deadline").isEmpty();
	}

}
