package io.tollgate.gateway.messages;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.UrlPdfSource;
import io.micrometer.core.instrument.Metrics;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import io.tollgate.gateway.fake.OpenAiReply;
import io.tollgate.gateway.fake.Sse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Upstreams that bend the OpenAI protocol the ways real ones do (Kimi's per-response tool
 * ids, Ollama's shared tool index, reasoning nobody asked for, JSON answers to stream
 * requests, characters split across chunks and writes), seen through the official
 * Anthropic Java SDK.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenAiUpstreamFidelityEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	private static final String TOOL_ID = "^toolu_[a-zA-Z0-9_-]+$";

	private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
		.model("claude-x")
		.maxTokens(300)
		.addUserMessage("List the files.")
		.build();

	@LocalServerPort
	int port;

	@Autowired
	AccountHealthBoard health;

	AnthropicClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

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
	void kimiToolIdsAreUniqueAcrossAnswersAndGoBackToTheUpstreamAsItsOwn() {
		OpenAiReply kimi = OpenAiReply.create().kimiToolIds().toolCall("ignored", "Bash", "{\"command\":\"ls\"}");
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(kimi).times(2);
		Message first = this.client.messages().create(PARAMS);
		Message second = accumulate(PARAMS);
		String firstId = first.content().get(0).asToolUse().id();
		String secondId = second.content().get(0).asToolUse().id();
		assertThat(firstId).matches(TOOL_ID).isNotEqualTo(secondId);
		assertThat(secondId).matches(TOOL_ID);

		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(OpenAiReply.create().content("Two listings."));
		MessageCreateParams history = MessageCreateParams.builder()
			.model("claude-x")
			.maxTokens(300)
			.addUserMessage("List the files.")
			.addMessage(assistantToolUse(firstId))
			.addMessage(toolResult(firstId, "a.txt"))
			.addMessage(assistantToolUse(secondId))
			.addMessage(toolResult(secondId, "a.txt b.txt"))
			.build();
		assertThat(this.client.messages().create(history).content().get(0).asText().text()).isEqualTo("Two listings.");
		JsonNode messages = fake.lastRequest().json().get("messages");
		List<String> ids = new ArrayList<>();
		for (JsonNode message : messages) {
			message.path("tool_calls").forEach((call) -> ids.add(call.get("id").asString()));
			if (message.has("tool_call_id")) {
				ids.add(message.get("tool_call_id").asString());
			}
		}
		assertThat(ids).containsExactly("functions.Bash:0", "functions.Bash:0", "functions.Bash:0", "functions.Bash:0");
	}

	@Test
	void ollamaParallelCallsSharingIndexZeroBecomeSeparateToolUseBlocks() {
		OpenAiReply ollama = OpenAiReply.create()
			.sharedToolIndex()
			.toolCall("call_a", "read", "{\"path\":\"a.txt\"}")
			.toolCall("call_b", "read", "{\"path\":\"b.txt\"}");
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(ollama).times(2);
		Message streamed = accumulate(PARAMS);
		Message whole = this.client.messages().create(PARAMS);
		for (Message message : List.of(streamed, whole)) {
			assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
			assertThat(message.content()).hasSize(2);
			assertThat(message.content()).extracting((block) -> block.asToolUse()._input().toString())
				.containsExactly("{path=a.txt}", "{path=b.txt}");
		}
	}

	@Test
	void toolArgumentsStreamOneDeltaPerUpstreamFragment() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().toolCall("call_1", "write", "{\"path\":", " \"a.txt\",", " \"text\": \"hi\"}"));
		List<String> partials = new ArrayList<>();
		MessageAccumulator accumulator = MessageAccumulator.create();
		try (StreamResponse<RawMessageStreamEvent> stream = this.client.messages().createStreaming(PARAMS)) {
			stream.stream().forEach((event) -> {
				accumulator.accumulate(event);
				event.contentBlockDelta()
					.flatMap((delta) -> delta.delta().inputJson())
					.ifPresent((json) -> partials.add(json.partialJson()));
			});
		}
		assertThat(partials).containsExactly("{\"path\":", " \"a.txt\",", " \"text\": \"hi\"}");
		assertThat(accumulator.message().content().get(0).asToolUse()._input().toString())
			.isEqualTo("{path=a.txt, text=hi}");
	}

	@Test
	void toolCallsFinishWithoutACallIsEndTurn() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().content("Nothing to run.").finishReason("tool_calls"))
			.times(2);
		assertThat(this.client.messages().create(PARAMS).stopReason()).contains(StopReason.END_TURN);
		assertThat(accumulate(PARAMS).stopReason()).contains(StopReason.END_TURN);
	}

	@Test
	void reasoningSentUnaskedIsDroppedButCounted() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().reasoning("Let me ", "think.").content("Paris.").completionTokens(40))
			.times(2);
		for (Message message : List.of(this.client.messages().create(PARAMS), accumulate(PARAMS))) {
			assertThat(message.content()).singleElement().satisfies((block) -> assertThat(block.isText()).isTrue());
			assertThat(message.usage().outputTokens()).isEqualTo(40);
		}
	}

	@Test
	void omittedThinkingDisplayKeepsTheSignatureAndNoText() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().reasoning("Secret ", "steps.").content("Paris."))
			.times(2);
		MessageCreateParams params = PARAMS.toBuilder()
			.maxTokens(4096)
			.thinking(ThinkingConfigEnabled.builder()
				.budgetTokens(2048)
				.putAdditionalProperty("display", JsonValue.from("omitted"))
				.build())
			.build();
		for (Message message : List.of(this.client.messages().create(params), accumulate(params))) {
			assertThat(message.content()).hasSize(2);
			ContentBlock thinking = message.content().get(0);
			assertThat(thinking.asThinking().thinking()).isEmpty();
			assertThat(thinking.asThinking().signature()).isNotBlank();
			assertThat(message.content().get(1).asText().text()).isEqualTo("Paris.");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "text/event-stream", "text/plain" })
	void aJsonCompletionAnsweringAStreamRequestBecomesAWellFormedStream(String contentType) {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create()
				.jsonEvenWhenStreaming(contentType)
				.content("Sunny.")
				.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")
				.completionTokens(7));
		double converted = jsonAnswers("converted");
		Message message = accumulate(PARAMS);
		assertThat(jsonAnswers("converted")).isEqualTo(converted + 1);
		assertThat(message.content()).hasSize(2);
		assertThat(message.content().get(0).asText().text()).isEqualTo("Sunny.");
		assertThat(message.content().get(1).asToolUse()._input().toString()).isEqualTo("{city=Paris}");
		assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
		assertThat(message.usage().outputTokens()).isEqualTo(7);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "text/event-stream" })
	void aJsonErrorAnsweringAStreamRequestIsAnHttpErrorWithTheUpstreamMessage(String contentType) {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.respond(200, Map.of("content-type", contentType),
					"{\"error\":{\"message\":\"model 'qwen3:32b' not found\",\"type\":\"not_found_error\",\"code\":404}}");
		double errors = jsonAnswers("error");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> accumulate(PARAMS))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("model 'qwen3:32b' not found"))
			.satisfies((ex) -> assertThat(ex.headers().values("request-id")).isNotEmpty());
		assertThat(jsonAnswers("error")).isEqualTo(errors + 1);
	}

	@Test
	void multiByteCharactersSplitAcrossWritesArriveWhole() {
		String text = "héllo, 日本語 and 🙂 — ok";
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.reply(OpenAiReply.create().content("héllo, ", "日本語 ", "and 🙂", " — ok"))
			.splitCharactersAcrossWrites()
			.eventDelay(Duration.ofMillis(5));
		assertThat(accumulate(PARAMS).content().get(0).asText().text()).isEqualTo(text);
	}

	@Test
	void aSurrogatePairSplitAcrossChunksArrivesWhole() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL)
			.streamEvents(List.of(Sse
				.data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Smile \\ud83d\"}}]}"),
					Sse.data(
							"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ude42!\"},\"finish_reason\":\"stop\"}]}"),
					Sse.done()), Duration.ZERO);
		assertThat(accumulate(PARAMS).content().get(0).asText().text()).isEqualTo("Smile 🙂!");
	}

	@Test
	void anEmptyAnswerReportsAtLeastOneOutputToken() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(OpenAiReply.create().completionTokens(0)).times(2);
		for (Message message : List.of(this.client.messages().create(PARAMS), accumulate(PARAMS))) {
			assertThat(message.content()).isEmpty();
			assertThat(message.usage().outputTokens()).isEqualTo(1);
		}
	}

	@Test
	void aDocumentByUrlBecomesANoteWithItsTitleAndContext() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(OpenAiReply.create().content("Read."));
		MessageCreateParams params = MessageCreateParams.builder()
			.model("claude-x")
			.maxTokens(300)
			.addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofDocument(DocumentBlockParam.builder()
				.source(UrlPdfSource.builder().url("https://example.com/spec.pdf").build())
				.title("Spec")
				.context("The May draft")
				.build()), ContentBlockParam.ofText(TextBlockParam.builder().text("Summarise.").build())))
			.build();
		assertThat(this.client.messages().create(params).content().get(0).asText().text()).isEqualTo("Read.");
		JsonNode content = fake.lastRequest().json().get("messages").get(0).get("content");
		assertThat(content.get(0).get("text").asString())
			.isEqualTo("Spec\nThe May draft\nDocument at https://example.com/spec.pdf");
	}

	@Test
	void fileSourcesTheUpstreamCannotReadAreNotesNotErrors() {
		fake.script(GatewayTestSupport.OPENAI_CREDENTIAL).reply(OpenAiReply.create().content("Seen."));
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/v1/messages")
			.header("x-api-key", GatewayTestSupport.OPENAI_KEY)
			.header("anthropic-beta", "files-api-2025-04-14")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"model":"claude-x","max_tokens":100,"messages":[{"role":"user","content":[
					{"type":"image","source":{"type":"file","file_id":"file_img"}},
					{"type":"document","title":"Q3","source":{"type":"file","file_id":"file_doc"}},
					{"type":"text","text":"Compare."}]}]}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[0].text")
			.isEqualTo("Seen.");
		JsonNode content = fake.lastRequest().json().get("messages").get(0).get("content");
		assertThat(content.get(0).get("text").asString()).contains("image").contains("file_img");
		assertThat(content.get(1).get("text").asString()).startsWith("Q3\n").contains("file_doc");
		assertThat(content.get(2).get("text").asString()).isEqualTo("Compare.");
	}

	private static double jsonAnswers(String outcome) {
		return Metrics.globalRegistry.counter("tollgate.openai.stream.json.answers", "outcome", outcome).count();
	}

	private Message accumulate(MessageCreateParams params) {
		MessageAccumulator accumulator = MessageAccumulator.create();
		try (StreamResponse<RawMessageStreamEvent> stream = this.client.messages().createStreaming(params)) {
			stream.stream().forEach(accumulator::accumulate);
		}
		return accumulator.message();
	}

	private static MessageParam assistantToolUse(String id) {
		return MessageParam
			.ofAssistantOfContentBlockParams(List.of(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder()
				.id(id)
				.name("Bash")
				.input(JsonValue.from(Map.of("command", "ls")))
				.build())));
	}

	private static MessageParam toolResult(String id, String output) {
		return MessageParam.ofUserOfContentBlockParams(List
			.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(id).content(output).build())));
	}

}
