package io.tollgate.gateway.intent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.Group;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.directory.Directory;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.AnthropicReply;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.Gate;
import io.tollgate.gateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Intent routing, planning and context optimisation end to end, with the fake upstream
 * acting as the router model (answering the forced {@code classify} tool, failing or
 * never answering on demand), the planner and the executor.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class IntentEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String ROUTED_KEY = "tg-e2e-intent-routed-00000000000000000000";

	static final String PLAIN_KEY = "tg-e2e-intent-plain-000000000000000000000";

	static final String DEFAULTS_KEY = "tg-e2e-intent-defaults-0000000000000000000";

	static final String OPENAI_KEY = "tg-e2e-intent-openai-00000000000000000000";

	static final String GPT_ROUTED_KEY = "tg-e2e-intent-gpt-routed-000000000000000";

	static final String OPENAI_EXECUTOR = "sk-intent-openai-exec";

	static final String ROUTER = "sk-intent-router";

	static final String EXECUTOR = "sk-intent-executor";

	static final String OPENAI = "sk-intent-openai";

	static final String TAGS = "\"tags\":[{\"name\":\"coding\",\"description\":\"writing or fixing code\","
			+ "\"models\":[\"claude-opus-4-1\",\"claude-sonnet-4-5\",\"claude-haiku-4-5\"]},"
			+ "{\"name\":\"chat\",\"description\":\"small talk\",\"models\":[\"claude-haiku-4-5\"]}]";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Gate never = new Gate();

	private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	MeterRegistry meters;

	@Autowired
	GroupAdmin groups;

	@Autowired
	Directory directory;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		try {
			Path dataDir = Files.createTempDirectory("tollgate-intent");
			Path bootstrap = dataDir.resolve("bootstrap.yml");
			Files.writeString(bootstrap, bootstrap(fake.baseUrl()));
			registry.add("tollgate.data-dir", dataDir::toString);
			registry.add("tollgate.bootstrap-file", bootstrap::toString);
			registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
			registry.add("tollgate.intent.router-timeout", () -> "700ms");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@BeforeEach
	void connect() {
		fake.reset();
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.accessLog.start();
		((Logger) LoggerFactory.getLogger("tollgate.access")).addAppender(this.accessLog);
	}

	@AfterEach
	void releaseHeldAnswers() {
		this.never.release();
		((Logger) LoggerFactory.getLogger("tollgate.access")).detachAppender(this.accessLog);
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@Test
	void routesAComplexPromptToTheTagsStrongestModelAndBillsTheRouterCall() {
		fake.script(ROUTER).classify("{\"tag\":\"coding\",\"complexity\":0.9}", 100, 20);
		EntityExchangeResult<String> result = post(ROUTED_KEY,
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{" + TAGS
						+ "},\"messages\":[{\"role\":\"user\",\"content\":\"Refactor this parser\"}]}");
		HttpHeaders headers = result.getResponseHeaders();
		assertThat(headers.getFirst(IntentStage.TAG_HEADER)).isEqualTo("coding");
		assertThat(headers.getFirst(IntentStage.MODEL_HEADER)).isEqualTo("claude-opus-4-1");
		assertThat(headers.getFirst(IntentStage.OUTCOME_HEADER)).isEqualTo("routed");
		// the router was asked once, with the forced classify tool and the tags
		RecordedRequest router = only(ROUTER);
		assertThat(router.json().path("model").asString()).isEqualTo("router-mini");
		assertThat(router.json().path("tool_choice").path("name").asString()).isEqualTo("classify");
		assertThat(router.json().path("stream").asBoolean(false)).isFalse();
		assertThat(router.bodyText()).contains("coding").contains("Refactor this parser");
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-opus-4-1");
		// the answer echoes the requested model and reports what planning cost
		JsonNode answer = JSON.readTree(result.getResponseBody());
		assertThat(answer.path("model").asString()).isEqualTo("claude-sonnet-4-5");
		JsonNode details = answer.path("usage").path("planning_usage_details");
		assertThat(details.path("prompt_tokens").asLong()).isEqualTo(100);
		assertThat(details.path("completion_tokens").asLong()).isEqualTo(20);
		assertThat(details.path("total_tokens").asLong()).isEqualTo(120);
		// router-mini: 1 per million input, 5 per million output
		assertThat(details.path("cost").decimalValue()).isEqualByComparingTo("0.0002");
		Map<String, Object> record = usageRecord(headers.getFirst("request-id"));
		assertThat(record).containsEntry("intent_tag", "coding")
			.containsEntry("routed_model", "claude-opus-4-1")
			.containsEntry("intent_outcome", "routed")
			.containsEntry("upstream_model", "claude-opus-4-1")
			.containsEntry("requested_model", "claude-sonnet-4-5")
			.containsEntry("planning_input_tokens", 100L)
			.containsEntry("planning_output_tokens", 20L);
		assertThat((BigDecimal) record.get("planning_cost")).isEqualByComparingTo("0.0002");
		// the executor's own tokens at claude prices, plus the router call
		long input = (Long) record.get("input_tokens");
		long output = (Long) record.get("output_tokens");
		BigDecimal own = new BigDecimal(input * 3 + output * 15).movePointLeft(6);
		assertThat((BigDecimal) record.get("charged_cost")).isEqualByComparingTo(own.add(new BigDecimal("0.0002")));
		assertThat(decisions("routed")).isPositive();
	}

	@Test
	void routesASimpleStreamedPromptToTheTagsWeakestModel() {
		fake.script(ROUTER).classify("{\"tag\":\"coding\",\"complexity\":0.1}", 50, 10);
		EntityExchangeResult<String> result = post(ROUTED_KEY,
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"gateway\":{" + TAGS
						+ "},\"messages\":[{\"role\":\"user\",\"content\":\"Fix the typo\"}]}");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.MODEL_HEADER)).isEqualTo("claude-haiku-4-5");
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-haiku-4-5");
		String messageStart = result.getResponseBody()
			.lines()
			.filter((line) -> line.startsWith("data: ") && line.contains("\"message_start\""))
			.findFirst()
			.orElseThrow();
		JsonNode usage = JSON.readTree(messageStart.substring(6)).path("message").path("usage");
		assertThat(usage.path("planning_usage_details").path("total_tokens").asLong()).isEqualTo(60);
		assertThat(JSON.readTree(messageStart.substring(6)).path("message").path("model").asString())
			.isEqualTo("claude-sonnet-4-5");
	}

	@Test
	void fallsBackToTheRequestedModelWhenTheRouterFails() {
		double before = decisions("fallback_error");
		fake.script(ROUTER).error(400, "invalid_request_error", "router says no");
		EntityExchangeResult<String> result = post(ROUTED_KEY, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
				+ "\"gateway\":{" + TAGS + "},\"messages\":[{\"role\":\"user\",\"content\":\"Refactor\"}]}");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.OUTCOME_HEADER)).isEqualTo("fallback_error");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.MODEL_HEADER)).isNull();
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(JSON.readTree(result.getResponseBody()).path("usage").has("planning_usage_details")).isFalse();
		assertThat(decisions("fallback_error")).isEqualTo(before + 1);
		String requestId = result.getResponseHeaders().getFirst("request-id");
		Map<String, Object> record = usageRecord(requestId);
		assertThat(record).containsEntry("intent_outcome", "fallback_error").containsEntry("planning_cost", null);
		// the access log line names the fallback
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.accessLog.list.stream()
				.map(ILoggingEvent::getFormattedMessage)
				.anyMatch((line) -> line.contains(requestId) && line.contains("intent_outcome=fallback_error")));
	}

	@Test
	void fallsBackToTheRequestedModelWhenTheRouterDoesNotAnswerInTime() {
		fake.script(ROUTER).normal().heldBy(this.never);
		EntityExchangeResult<String> result = post(ROUTED_KEY, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
				+ "\"gateway\":{" + TAGS + "},\"messages\":[{\"role\":\"user\",\"content\":\"Refactor\"}]}");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.OUTCOME_HEADER)).isEqualTo("fallback_timeout");
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-sonnet-4-5");
	}

	@Test
	void fallsBackWhenTheRouterAnswersWithoutAClassification() {
		fake.script(ROUTER).reply(AnthropicReply.create().text("I think it is about code."));
		EntityExchangeResult<String> result = post(ROUTED_KEY, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
				+ "\"gateway\":{" + TAGS + "},\"messages\":[{\"role\":\"user\",\"content\":\"Refactor\"}]}");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.OUTCOME_HEADER)).isEqualTo("fallback_invalid");
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-sonnet-4-5");
		// the router call answered: it is billed even though its answer was useless
		assertThat(JSON.readTree(result.getResponseBody())
			.path("usage")
			.path("planning_usage_details")
			.path("total_tokens")
			.asLong()).isPositive();
	}

	@Test
	void routesThroughAnOpenAiCompatibleRouterModel() {
		fake.script(OPENAI).classify("{\"tag\":\"chat\",\"complexity\":0.5}", 30, 5);
		EntityExchangeResult<String> result = post(OPENAI_KEY,
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{" + TAGS
						+ "},\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.TAG_HEADER)).isEqualTo("chat");
		RecordedRequest router = only(OPENAI);
		assertThat(router.path()).endsWith("/chat/completions");
		assertThat(router.json().path("tool_choice").path("function").path("name").asString()).isEqualTo("classify");
		assertThat(only(EXECUTOR).json().path("model").asString()).isEqualTo("claude-haiku-4-5");
	}

	@Test
	void routerCallsAreBilledWhenTheRequestFailsAfterThem() {
		fake.script(ROUTER).classify("{\"tag\":\"coding\",\"complexity\":0.9}", 100, 20);
		String requestId = this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", ROUTED_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{\"only\":[\"nowhere\"]," + TAGS
					+ "},\"messages\":[{\"role\":\"user\",\"content\":\"Refactor\"}]}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("request-id");
		assertThat(fake.requests(EXECUTOR)).isEmpty();
		Map<String, Object> record = usageRecord(requestId);
		assertThat(record).containsEntry("outcome", "gateway_error")
			.containsEntry("http_status", 400)
			.containsEntry("input_tokens", 0L)
			.containsEntry("planning_input_tokens", 100L);
		assertThat((BigDecimal) record.get("charged_cost")).isEqualByComparingTo("0.0002");
	}

	@Test
	void routerCallsAreBilledWhenTheClientLeavesWhileThePlannerWorks() {
		fake.script(ROUTER).classify("{\"complexity\":0.9}", 100, 20);
		fake.script(EXECUTOR).normal().heldBy(this.never);
		var call = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/v1/messages")
			.header("x-api-key", ROUTED_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"claude-sonnet-4-5:planning:claude-opus-4-1\",\"max_tokens\":64,"
					+ "\"gateway\":{\"planningTriggerScore\":0.5},"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"Refactor\"}]}")
			.retrieve()
			.toEntity(String.class)
			.subscribe();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.never.waiting() == 1);
		call.dispose();
		Map<String, Object> record = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.db
				.sql("SELECT * FROM usage_record WHERE planning_input_tokens = 100 AND outcome = 'client_cancelled'"
						+ " AND requested_model = 'claude-sonnet-4-5:planning:claude-opus-4-1'")
				.fetch()
				.all()
				.collectList()
				.block(Duration.ofSeconds(5)), (rows) -> rows.size() == 1)
			.get(0);
		Map<String, Object> lower = new java.util.HashMap<>();
		record.forEach((column, value) -> lower.put(column.toLowerCase(java.util.Locale.ROOT), value));
		assertThat(lower).containsEntry("http_status", 499).containsEntry("input_tokens", 0L);
		assertThat((BigDecimal) lower.get("charged_cost")).isEqualByComparingTo("0.0002");
	}

	@Test
	void anOpenAiGroupReportsPlanningUsageInWholeAndStreamedAnswers() {
		fake.script(OPENAI).classify("{\"tag\":\"chat\",\"complexity\":0.5}", 30, 5).times(2);
		String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{" + TAGS
				+ "},\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
		EntityExchangeResult<String> whole = post(GPT_ROUTED_KEY, body);
		assertThat(JSON.readTree(whole.getResponseBody())
			.path("usage")
			.path("planning_usage_details")
			.path("total_tokens")
			.asLong()).isEqualTo(35);
		EntityExchangeResult<String> streamed = post(GPT_ROUTED_KEY,
				body.replace("\"max_tokens\":64", "\"max_tokens\":64,\"stream\":true"));
		String messageStart = streamed.getResponseBody()
			.lines()
			.filter((line) -> line.startsWith("data: ") && line.contains("\"message_start\""))
			.findFirst()
			.orElseThrow();
		assertThat(JSON.readTree(messageStart.substring(6))
			.path("message")
			.path("usage")
			.path("planning_usage_details")
			.path("prompt_tokens")
			.asLong()).isEqualTo(30);
		assertThat(fake.requests(OPENAI_EXECUTOR)).hasSize(2)
			.allSatisfy((request) -> assertThat(request.json().path("model").asString()).isEqualTo("gpt-4o-mini"));
	}

	@Test
	void aPlannerWritesAPlanIntoTheExecutorsSystemPromptAboveTheTriggerScore() {
		fake.script(ROUTER).classify("{\"complexity\":0.8}", 40, 8);
		fake.script(EXECUTOR)
			.reply(AnthropicReply.create().text("1. Read the parser. 2. Split it.").inputTokens(70).outputTokens(12));
		EntityExchangeResult<String> result = post(ROUTED_KEY,
				"{\"model\":\"claude-sonnet-4-5:planning:claude-opus-4-1\",\"max_tokens\":64,"
						+ "\"system\":\"You are terse.\",\"gateway\":{\"planningTriggerScore\":0.5},"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"Refactor the parser\"}]}");
		List<RecordedRequest> executor = fake.requests(EXECUTOR);
		assertThat(executor).hasSize(2);
		JsonNode planner = executor.get(0).json();
		assertThat(planner.path("model").asString()).isEqualTo("claude-opus-4-1");
		assertThat(planner.toString()).contains("Refactor the parser");
		JsonNode executed = executor.get(1).json();
		assertThat(executed.path("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(executed.path("system").asString())
			.isEqualTo("You are terse.\n\n<plan>\n1. Read the parser. 2. Split it.\n</plan>");
		assertThat(executed.has("gateway")).isFalse();
		JsonNode details = JSON.readTree(result.getResponseBody()).path("usage").path("planning_usage_details");
		assertThat(details.path("prompt_tokens").asLong()).isEqualTo(40 + 70);
		assertThat(details.path("completion_tokens").asLong()).isEqualTo(8 + 12);
		Map<String, Object> record = usageRecord(result.getResponseHeaders().getFirst("request-id"));
		assertThat(record).containsEntry("planning_input_tokens", 110L)
			.containsEntry("requested_model", "claude-sonnet-4-5:planning:claude-opus-4-1")
			.containsEntry("upstream_model", "claude-sonnet-4-5");
	}

	@Test
	void noPlanIsWrittenBelowTheTriggerScore() {
		fake.script(ROUTER).classify("{\"complexity\":0.2}", 40, 8);
		post(ROUTED_KEY,
				"{\"model\":\"claude-sonnet-4-5:planning:claude-opus-4-1\",\"max_tokens\":64,"
						+ "\"gateway\":{\"planningTriggerScore\":0.5},"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		JsonNode executed = only(EXECUTOR).json();
		assertThat(executed.path("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(executed.has("system")).isFalse();
	}

	@Test
	void historyCompressionDropsWhatTheCurrentTurnDoesNotDependOn() {
		fake.script(ROUTER)
			.classify("{\"complexity\":0.5,\"history\":[{\"index\":0,\"score\":0.1},"
					+ "{\"index\":1,\"score\":0.05},{\"index\":2,\"score\":0.9}]}", 40, 8);
		String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
				+ "\"gateway\":{\"chatHistoryCompression\":{\"enabled\":true,\"score\":0.3}},\"messages\":["
				+ "{\"role\":\"user\",\"content\":\"Tell me a long story about dragons " + "and more ".repeat(200)
				+ "\"},{\"role\":\"assistant\",\"content\":\"Once upon a time " + "there was ".repeat(200) + "\"},"
				+ "{\"role\":\"user\",\"content\":\"Now about the build\"},"
				+ "{\"role\":\"assistant\",\"content\":\"The build uses Maven.\"},"
				+ "{\"role\":\"user\",\"content\":\"Which version?\"}]}";
		EntityExchangeResult<String> result = post(ROUTED_KEY, body);
		JsonNode messages = only(EXECUTOR).json().path("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(0).path("content").asString()).isEqualTo("Now about the build");
		long saved = Long.parseLong(result.getResponseHeaders().getFirst(IntentStage.SAVED_HEADER));
		assertThat(saved).isGreaterThan(200);
		assertThat(usageRecord(result.getResponseHeaders().getFirst("request-id")))
			.containsEntry("context_tokens_saved", saved);
		assertThat(this.meters.find("tollgate.context.tokens_saved").counter().count()).isGreaterThanOrEqualTo(saved);
	}

	@Test
	void toolOptimizationDropsIrrelevantToolsButNeverAlwaysIncludedOrUsedOnes() {
		fake.script(ROUTER)
			.classify("{\"complexity\":0.5,\"tools\":[{\"name\":\"Read\",\"score\":0.9},"
					+ "{\"name\":\"Write\",\"score\":0.1},{\"name\":\"WebFetch\",\"score\":0.1},"
					+ "{\"name\":\"Bash\",\"score\":0.1}]}", 40, 8);
		String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{\"toolOptimization\":"
				+ "{\"enabled\":true,\"acceptScore\":0.5,\"alwaysInclude\":[\"Write\"]}},\"tools\":[" + tool("Read")
				+ "," + tool("Write") + "," + tool("WebFetch") + "," + tool("Bash") + "],\"messages\":["
				+ "{\"role\":\"user\",\"content\":\"List files\"},"
				+ "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
				+ "\"input\":{\"command\":\"ls\"}}]},"
				+ "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
				+ "\"content\":\"a.txt\"}]}]}";
		EntityExchangeResult<String> result = post(ROUTED_KEY, body);
		JsonNode tools = only(EXECUTOR).json().path("tools");
		assertThat(tools.valueStream().map((tool) -> tool.path("name").asString()).toList()).containsExactly("Read",
				"Write", "Bash");
		assertThat(result.getResponseHeaders().getFirst(IntentStage.SAVED_HEADER)).isNotNull();
	}

	@Test
	void mediaOptimizationRemovesPastImagesTheCurrentTurnDoesNotNeed() {
		fake.script(ROUTER).classify("{\"complexity\":0.5,\"media\":[{\"index\":0,\"score\":0.1}]}", 40, 8);
		String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
				+ "\"data\":\"" + "iVBORw0KGgo".repeat(50) + "\"}}";
		String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{\"mediaOptimization\":true},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":[" + image
				+ ",{\"type\":\"text\",\"text\":\"What is in it?\"}]},"
				+ "{\"role\":\"assistant\",\"content\":\"A cat.\"},"
				+ "{\"role\":\"user\",\"content\":\"Write a poem about dogs\"}]}";
		post(ROUTED_KEY, body);
		JsonNode first = only(EXECUTOR).json().path("messages").get(0).path("content");
		assertThat(first.get(0).path("type").asString()).isEqualTo("text");
		assertThat(first.get(0).path("text").asString()).isEqualTo("[image omitted]");
		assertThat(only(EXECUTOR).bodyText()).doesNotContain("iVBORw0KGgo");
	}

	@Test
	void aRequestThatAsksForNothingIsForwardedByteForByteWithoutARouterCall() {
		String body = "{\"model\":\"claude-sonnet-4-5\", \"max_tokens\":64,\n \"system\":[{\"type\":\"text\","
				+ "\"text\":\"cached\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"unknown_field\":1}";
		EntityExchangeResult<String> result = post(ROUTED_KEY, body);
		assertThat(fake.requests(ROUTER)).isEmpty();
		assertThat(only(EXECUTOR).bodyText()).isEqualTo(body);
		assertThat(result.getResponseHeaders().getFirst(IntentStage.OUTCOME_HEADER)).isNull();
		assertThat(JSON.readTree(result.getResponseBody()).path("usage").has("planning_usage_details")).isFalse();
	}

	@Test
	void theGroupsDefaultsTurnAnOptimisationOnAndTheRequestCanTurnItOff() {
		fake.script(ROUTER).classify("{\"complexity\":0.5,\"tools\":[{\"name\":\"Read\",\"score\":0.1}]}", 40, 8);
		String asked = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"tools\":[" + tool("Read") + ","
				+ tool("Write") + "],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
		post(DEFAULTS_KEY, asked);
		assertThat(only(EXECUTOR).json().path("tools")).hasSize(1);
		fake.reset();
		String off = asked.replace("\"tools\":", "\"gateway\":{\"toolOptimization\":false},\"tools\":");
		post(DEFAULTS_KEY, off);
		assertThat(fake.requests(ROUTER)).isEmpty();
		assertThat(only(EXECUTOR).bodyText()).isEqualTo(asked);
	}

	@Test
	void aGroupWithoutARouterModelRefusesTheOptionsWithAClear400() {
		for (String body : List.of(
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{" + TAGS
						+ "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
				"{\"model\":\"claude-sonnet-4-5:planning:claude-opus-4-1\",\"max_tokens\":64,"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
				"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"gateway\":{\"tags\":[{\"name\":\"x\"}]},"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
			String key = body.contains("\"name\":\"x\"") ? ROUTED_KEY : PLAIN_KEY;
			this.http.post()
				.uri("/v1/messages")
				.header("x-api-key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error.type")
				.isEqualTo("invalid_request_error")
				.jsonPath("$.error.message")
				.value((message) -> assertThat(message.toString()).containsAnyOf("router model", "gateway.tags.0"));
		}
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void theRouterModelMustBeOneTheGroupServes() {
		Group plain = this.groups.list()
			.block(Duration.ofSeconds(10))
			.stream()
			.filter((group) -> group.name().equals("plain"))
			.findFirst()
			.orElseThrow();
		Group.Settings settings = plain.settings();
		assertThatThrownBy(
				() -> this.groups
					.update(plain.id(), plain.name(),
							new Group.Settings(settings.platform(), settings.billingMode(), settings.multiplier(),
									settings.modelMapping(), settings.stickyTtlSeconds(), settings.balanceFallback(),
									null, "router-mini", null),
							"test")
					.block(Duration.ofSeconds(10)))
			.isInstanceOf(AdminException.class)
			.hasMessageContaining("router-mini");
		assertThatThrownBy(
				() -> this.groups
					.update(plain.id(), plain.name(),
							new Group.Settings(settings.platform(), settings.billingMode(), settings.multiplier(),
									settings.modelMapping(), settings.stickyTtlSeconds(), settings.balanceFallback(),
									null, "claude-haiku-4-5", Map.of("shoeSize", 3)),
							"test")
					.block(Duration.ofSeconds(10)))
			.isInstanceOf(AdminException.class)
			.hasMessageContaining("shoeSize");
		Group updated = this.groups
			.update(plain.id(), plain.name(),
					new Group.Settings(settings.platform(), settings.billingMode(), settings.multiplier(),
							settings.modelMapping(), settings.stickyTtlSeconds(), settings.balanceFallback(), null,
							"claude-haiku-4-5", Map.of("mediaOptimization", true)),
					"test")
			.block(Duration.ofSeconds(10));
		assertThat(updated.settings().routerModel()).isEqualTo("claude-haiku-4-5");
		assertThat(updated.settings().intentDefaults()).containsEntry("mediaOptimization", true);
		this.groups.update(plain.id(), plain.name(), settings, "test").block(Duration.ofSeconds(10));
	}

	private static String tool(String name) {
		return "{\"name\":\"" + name + "\",\"description\":\"The " + name + " tool\",\"input_schema\":"
				+ "{\"type\":\"object\",\"properties\":{}}}";
	}

	private EntityExchangeResult<String> post(String key, String body) {
		return this.http.post()
			.uri("/v1/messages")
			.header("x-api-key", key)
			.header("anthropic-version", "2023-06-01")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
	}

	private static RecordedRequest only(String credential) {
		List<RecordedRequest> requests = fake.requests(credential);
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private double decisions(String outcome) {
		var counter = this.meters.find("tollgate.intent.decisions").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Map<String, Object> usageRecord(String requestId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.db.sql("SELECT * FROM usage_record WHERE request_id = :id")
				.bind("id", requestId)
				.fetch()
				.one()
				.map((row) -> {
					Map<String, Object> lower = new java.util.HashMap<>();
					row.forEach((column, value) -> lower.put(column.toLowerCase(java.util.Locale.ROOT), value));
					return lower;
				})
				.block(Duration.ofSeconds(5)), (row) -> row != null);
	}

	static String bootstrap(String baseUrl) {
		return """
				tenants:
				  - name: acme
				    balance: "100"
				accounts:
				  - name: router-account
				    platform: anthropic
				    base-url: %1$s
				    credential: %2$s
				    models: ["router-mini"]
				  - name: executor-account
				    platform: anthropic
				    base-url: %1$s
				    credential: %3$s
				    models: ["claude-*"]
				  - name: openai-router
				    platform: openai
				    base-url: %1$s/v1
				    credential: %4$s
				    models: ["gpt-router"]
				  - name: openai-exec
				    platform: openai
				    base-url: %1$s/v1
				    credential: %9$s
				    models: ["gpt-4o-mini"]
				groups:
				  - name: routed
				    platform: anthropic
				    router-model: router-mini
				    accounts: [router-account, executor-account]
				  - name: plain
				    platform: anthropic
				    accounts: [executor-account]
				  - name: defaults
				    platform: anthropic
				    router-model: router-mini
				    intent-defaults:
				      toolOptimization:
				        acceptScore: 0.5
				    accounts: [router-account, executor-account]
				  - name: mixed
				    platform: anthropic
				    router-model: gpt-router
				    accounts: [openai-router, executor-account]
				  - name: gpt-routed
				    platform: openai
				    router-model: gpt-router
				    model-mapping:
				      "claude-*": "gpt-4o-mini"
				      "gpt-router": "gpt-router"
				    accounts: [openai-router, openai-exec]
				prices:
				  - model: "gpt-4o-mini"
				    input: "0.15"
				    output: "0.60"
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				  - model: "router-*"
				    input: "1"
				    output: "5"
				  - model: "gpt-router"
				    input: "0.1"
				    output: "0.4"
				keys:
				  - name: routed
				    tenant: acme
				    group: routed
				    key: %5$s
				  - name: plain
				    tenant: acme
				    group: plain
				    key: %6$s
				  - name: defaults
				    tenant: acme
				    group: defaults
				    key: %7$s
				  - name: mixed
				    tenant: acme
				    group: mixed
				    key: %8$s
				  - name: gpt-routed
				    tenant: acme
				    group: gpt-routed
				    key: %10$s
				""".formatted(baseUrl, ROUTER, EXECUTOR, OPENAI, ROUTED_KEY, PLAIN_KEY, DEFAULTS_KEY, OPENAI_KEY,
				OPENAI_EXECUTOR, GPT_ROUTED_KEY);
	}

}
