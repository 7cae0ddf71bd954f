package io.tollgate.gateway.messages;

import java.time.Duration;
import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.OpenAiReply;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Groups on the {@code openai} platform: the Anthropic Java SDK talks Messages to
 * Tollgate, the fake upstream receives Chat Completions, and the answers come back as
 * Anthropic messages and streams.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenAiEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
		.model("claude-x")
		.maxTokens(300)
		.system("Be brief.")
		.addUserMessage("Weather in Paris?")
		.build();

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	AnthropicClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

	@Autowired
	AccountHealthBoard health;

	@BeforeEach
	void connect() {
		fake.reset();
		GatewayTestSupport.resetHealth(this.health);
		this.client = AnthropicOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.apiKey(GatewayTestSupport.OPENAI_KEY)
			.maxRetries(0)
			.build();
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void convertsAWholeMessageBothWays() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().content("Sunny.").promptTokens(50).completionTokens(3));
		HttpResponseFor<Message> response = this.client.messages().withRawResponse().create(PARAMS);
		Message message = response.parse();
		assertThat(message.content()).singleElement()
			.satisfies((block) -> assertThat(block.asText().text()).isEqualTo("Sunny."));
		assertThat(message.model().asString()).isEqualTo("claude-x");
		assertThat(message.stopReason()).contains(StopReason.END_TURN);
		assertThat(message.usage().outputTokens()).isEqualTo(3);

		RecordedRequest upstream = fake.lastRequest();
		assertThat(upstream.path()).isEqualTo("/v1/chat/completions");
		assertThat(upstream.header("authorization")).isEqualTo("Bearer " + GatewayTestSupport.OPENAI_CREDENTIAL);
		assertThat(upstream.json().get("model").asString()).isEqualTo("gpt-4o-mini");
		assertThat(upstream.json().get("max_completion_tokens").asInt()).isEqualTo(300);
		assertThat(upstream.json().get("messages").get(0).get("role").asString()).isEqualTo("system");
		assertThat(upstream.json().has("system")).isFalse();

		String requestId = response.requestId().orElseThrow();
		Map<String, Object> usage = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
				.bind("id", requestId)
				.fetch()
				.one()
				.block(Duration.ofSeconds(5)), (row) -> row != null);
		assertThat(usage).containsEntry("upstream_model", "gpt-4o-mini").containsEntry("outcome", "ok");
		assertThat(((Number) usage.get("input_tokens")).longValue()).isEqualTo(50);
		assertThat(((Number) usage.get("output_tokens")).longValue()).isEqualTo(3);
		// 50 * 0.15 + 3 * 0.60 = 9.3 per million
		assertThat((java.math.BigDecimal) usage.get("charged_cost")).isEqualByComparingTo("0.0000093");
	}

	@Test
	void convertsAStreamWithParallelToolCallsThatTheSdkAccumulates() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create()
				.content("Checking.")
				.toolCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}")
				.toolCall("call_2", "get_time", "{}")
				.finishReason("tool_calls"));
		Message message;
		try (StreamResponse<RawMessageStreamEvent> stream = this.client.messages().createStreaming(PARAMS)) {
			MessageAccumulator accumulator = MessageAccumulator.create();
			stream.stream().forEach(accumulator::accumulate);
			message = accumulator.message();
		}
		assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
		assertThat(message.content()).hasSize(3);
		assertThat(message.content().get(0).asText().text()).isEqualTo("Checking.");
		assertThat(message.content().get(1).asToolUse().name()).isEqualTo("get_weather");
		assertThat(message.content().get(1).asToolUse()._input()).isEqualTo(JsonValue.from(Map.of("city", "Paris")));
		assertThat(message.content().get(2).asToolUse().name()).isEqualTo("get_time");
		assertThat(fake.lastRequest().json().get("stream_options").get("include_usage").asBoolean()).isTrue();
	}

	@Test
	void mapsUpstreamErrorsToAnthropicErrors() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).rateLimited(Duration.ofSeconds(7));
		assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> this.client.messages().create(PARAMS))
			.satisfies((ex) -> assertThat(ex.headers().values("retry-after")).containsExactly("7"));
	}

	@Test
	void refusesCountTokensOnOpenAiGroupsWithoutAnEstimate() {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/v1/messages/count_tokens")
			.header("x-api-key", GatewayTestSupport.OPENAI_STRICT_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error")
			.jsonPath("$.error.message")
			.isEqualTo("Token counting is not supported for this platform");
	}

	@Test
	void estimatesCountTokensLocallyWhenTheGroupAllowsIt() {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/v1/messages/count_tokens")
			.header("x-api-key", GatewayTestSupport.OPENAI_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"model\":\"claude-x\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-tollgate-token-count", "estimate")
			.expectBody()
			.jsonPath("$.input_tokens")
			.value((tokens) -> assertThat(((Number) tokens).intValue()).isPositive());
		assertThat(fake.requests()).isEmpty();
	}

}
