package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import io.tollgate.gateway.fake.FakeClient.Reply;
import io.tollgate.gateway.fake.RecordedRequest.Auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakeUpstreamTests {

	private static final String MESSAGE = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	private static final String STREAMED_MESSAGE = MESSAGE.replace("{\"model\"", "{\"stream\":true,\"model\"");

	private static final String COMPLETION = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	private static final String STREAMED_COMPLETION = COMPLETION.replace("{\"model\"",
			"{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\"");

	private FakeUpstream fake;

	private FakeClient client;

	@BeforeEach
	void start() {
		this.fake = FakeUpstream.start();
		this.client = new FakeClient(this.fake.baseUrl());
	}

	@AfterEach
	void stop() {
		this.fake.close();
	}

	@Test
	void answersMessageWithRequestedModelAndSizeDerivedUsage() {
		Reply reply = anthropic("sk-a", MESSAGE);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.headers().get("request-id")).startsWith("req_");
		JsonNode message = reply.json();
		assertThat(message.get("id").asString()).startsWith("msg_");
		assertThat(message.get("type").asString()).isEqualTo("message");
		assertThat(message.get("model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(message.at("/content/0/text").asString()).isEqualTo("Hello! This is the fake upstream speaking.");
		assertThat(message.get("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(message.get("stop_sequence").isNull()).isTrue();
		assertThat(message.at("/usage/input_tokens").asInt()).isEqualTo(MESSAGE.length() / 4);
		assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(8);
	}

	@Test
	void pacesTheStreamsOfAPacedCredentialAndAnswersOthersAsUsual() {
		this.fake.pace("sk-paced", Pacing.parse("1-2:5"));
		List<String> paced = anthropicFrames("sk-paced", STREAMED_MESSAGE).collectList().block();
		assertThat(paced).extracting(FakeClient::event)
			.containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
					"content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
					"content_block_stop", "message_delta", "message_stop");
		assertThat(FakeClient.json(paced.get(paced.size() - 2)).at("/usage/output_tokens").asInt()).isEqualTo(5);
		List<String> completion = openAiFrames("sk-paced",
				COMPLETION.replace("{\"model\"", "{\"stream\":true,\"model\""))
			.collectList()
			.block();
		assertThat(completion.get(completion.size() - 1)).contains("[DONE]");
		assertThat(anthropicFrames("sk-other", STREAMED_MESSAGE).collectList().block()).hasSize(14);
	}

	@Test
	void refusesAPacingThatIsNotOne() {
		assertThatThrownBy(() -> Pacing.parse("100")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Pacing.parse("100-50:3")).isInstanceOf(IllegalArgumentException.class);
		assertThat(Pacing.parse("50-100:300").deltas()).isEqualTo(300);
	}

	@Test
	void streamsMessageEventsInSpecOrderWithEventLines() {
		List<String> frames = anthropicFrames("sk-a", STREAMED_MESSAGE).collectList().block();
		assertThat(frames).extracting(FakeClient::event)
			.containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
					"content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
					"content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
					"message_delta", "message_stop");
		assertThat(frames).allSatisfy((frame) -> assertThat(FakeClient.json(frame).get("type").asString())
			.isEqualTo(FakeClient.event(frame)));
		JsonNode start = FakeClient.json(frames.get(0));
		assertThat(start.at("/message/model").asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(start.at("/message/usage/input_tokens").asInt()).isEqualTo(STREAMED_MESSAGE.length() / 4);
		assertThat(start.at("/message/usage/cache_creation/ephemeral_5m_input_tokens").isInt()).isTrue();
		String text = frames.stream()
			.map(FakeClient::json)
			.filter((event) -> event.at("/delta/type").asString("").equals("text_delta"))
			.map((event) -> event.at("/delta/text").asString())
			.collect(Collectors.joining());
		assertThat(text).isEqualTo("Hello! This is the fake upstream speaking.");
		JsonNode delta = FakeClient.json(frames.get(frames.size() - 2));
		assertThat(delta.get("delta").has("stop_sequence")).isTrue();
		assertThat(delta.at("/delta/stop_sequence").isNull()).isTrue();
		assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(8);
	}

	@Test
	void answersCountTokensAndModels() {
		Reply count = this.client.post("/v1/messages/count_tokens", anthropicHeaders("sk-a"), MESSAGE).block();
		assertThat(count.body()).isEqualTo("{\"input_tokens\":" + MESSAGE.length() / 4 + "}");
		Reply models = this.client.get("/v1/models?limit=1000", anthropicHeaders("sk-a")).block();
		assertThat(models.json().get("has_more").asBoolean()).isFalse();
		assertThat(models.json().at("/data/0/type").asString()).isEqualTo("model");
	}

	@Test
	void rejectsRequestWithoutCredentialInAnthropicEnvelope() {
		Reply reply = this.client.post("/v1/messages", Map.of("content-type", "application/json"), MESSAGE).block();
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.json().get("type").asString()).isEqualTo("error");
		assertThat(reply.json().at("/error/type").asString()).isEqualTo("authentication_error");
		assertThat(reply.json().get("request_id").asString()).isEqualTo(reply.headers().get("request-id"));
		assertThat(this.fake.lastRequest().auth()).isEqualTo(Auth.NONE);
	}

	@Test
	void rejectsChatCompletionWithoutCredentialInOpenAiEnvelope() {
		Reply reply = this.client.post("/v1/chat/completions", Map.of("content-type", "application/json"), COMPLETION)
			.block();
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.json().has("type")).isFalse();
		assertThat(reply.json().at("/error/type").asString()).isEqualTo("invalid_request_error");
		assertThat(reply.json().at("/error/code").isNull()).isTrue();
	}

	@Test
	void resetForgetsScriptsAndRecordedRequests() {
		this.fake.script("sk-a").overloaded().always();
		this.fake.script().disconnect().always();
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(529);
		this.fake.reset();
		assertThat(this.fake.requests()).isEmpty();
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(200);
	}

	@Test
	void scriptedReplyReportsCacheWritesByTtlAndCacheReads() {
		this.fake.script("sk-a")
			.reply(AnthropicReply.create().text("cached").inputTokens(12).cacheWrite(100, 50).cacheRead(400))
			.times(2);
		JsonNode usage = anthropic("sk-a", MESSAGE).json().get("usage");
		assertThat(usage.get("input_tokens").asInt()).isEqualTo(12);
		assertThat(usage.get("cache_creation_input_tokens").asInt()).isEqualTo(150);
		assertThat(usage.get("cache_read_input_tokens").asInt()).isEqualTo(400);
		assertThat(usage.at("/cache_creation/ephemeral_5m_input_tokens").asInt()).isEqualTo(100);
		assertThat(usage.at("/cache_creation/ephemeral_1h_input_tokens").asInt()).isEqualTo(50);
		List<String> frames = anthropicFrames("sk-a", STREAMED_MESSAGE).collectList().block();
		assertThat(FakeClient.json(frames.get(0)).at("/message/usage/cache_read_input_tokens").asInt()).isEqualTo(400);
		assertThat(FakeClient.json(frames.get(frames.size() - 2)).at("/usage/cache_creation_input_tokens").asInt())
			.isEqualTo(150);
	}

	@Test
	void scriptedReplyStreamsThinkingAndToolUseBlocksWithMatchingDeltas() {
		this.fake.script("sk-a")
			.reply(AnthropicReply.create()
				.thinking("sig-1", "Let me ", "think.")
				.toolUse("toolu_01", "get_weather", "{\"city\":", "\"Paris\"}"));
		List<JsonNode> events = anthropicFrames("sk-a", STREAMED_MESSAGE).map(FakeClient::json).collectList().block();
		assertThat(events).filteredOn((event) -> event.has("delta") && event.has("index"))
			.extracting((event) -> event.get("index").asInt() + ":" + event.at("/delta/type").asString())
			.containsExactly("0:thinking_delta", "0:thinking_delta", "0:signature_delta", "1:input_json_delta",
					"1:input_json_delta");
		assertThat(events).filteredOn((event) -> event.get("type").asString().equals("content_block_start"))
			.extracting((event) -> event.at("/content_block/type").asString())
			.containsExactly("thinking", "tool_use");
		assertThat(events.get(events.size() - 2).at("/delta/stop_reason").asString()).isEqualTo("tool_use");
	}

	@Test
	void endsStreamWithErrorEventWhenScriptedToFailMidStream() {
		this.fake.script("sk-a").reply(AnthropicReply.standard().errorMidStream("overloaded_error", "Overloaded"));
		List<String> frames = anthropicFrames("sk-a", STREAMED_MESSAGE).collectList().block();
		String last = frames.get(frames.size() - 1);
		assertThat(FakeClient.event(last)).isEqualTo("error");
		assertThat(FakeClient.json(last).at("/error/type").asString()).isEqualTo("overloaded_error");
		assertThat(frames).extracting(FakeClient::event).doesNotContain("content_block_stop", "message_stop");
	}

	@Test
	void recordsMethodUriHeadersRawBodyAndCredential() {
		this.client.post("/v1/messages?beta=true", Map.of("x-api-key", "sk-a", "anthropic-beta", "b1,b2"), MESSAGE)
			.block();
		this.client.post("/chat/completions", Map.of("authorization", "Bearer sk-b"), COMPLETION).block();
		assertThat(this.fake.requests()).hasSize(2);
		RecordedRequest first = this.fake.requests().get(0);
		assertThat(first.method()).isEqualTo("POST");
		assertThat(first.uri()).isEqualTo("/v1/messages?beta=true");
		assertThat(first.path()).isEqualTo("/v1/messages");
		assertThat(first.query()).isEqualTo("beta=true");
		assertThat(first.header("Anthropic-Beta")).isEqualTo("b1,b2");
		assertThat(first.body()).isEqualTo(MESSAGE.getBytes(StandardCharsets.UTF_8));
		assertThat(first.credential()).isEqualTo("sk-a");
		assertThat(first.auth()).isEqualTo(Auth.API_KEY);
		RecordedRequest last = this.fake.lastRequest();
		assertThat(last.credential()).isEqualTo("sk-b");
		assertThat(last.auth()).isEqualTo(Auth.BEARER);
		assertThat(last.json().get("model").asString()).isEqualTo("gpt-4o-mini");
		assertThat(this.fake.requests("sk-b")).containsExactly(last);
		this.fake.clear();
		assertThat(this.fake.requests()).isEmpty();
		assertThat(this.fake.lastRequest()).isNull();
	}

	@Test
	void scriptsFailuresPerCredentialWhileOtherCredentialsWork() {
		this.fake.script("sk-a").overloaded().times(2);
		Reply failed = anthropic("sk-a", MESSAGE);
		assertThat(failed.status()).isEqualTo(529);
		assertThat(failed.headers().get("retry-after")).isEqualTo("1");
		assertThat(failed.json().at("/error/type").asString()).isEqualTo("overloaded_error");
		assertThat(anthropic("sk-b", MESSAGE).status()).isEqualTo(200);
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(529);
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(200);
		assertThat(this.fake.script("sk-a").pending()).isZero();
	}

	@Test
	void consultsAnyCredentialScriptWhenTheCredentialHasNoStep() {
		this.fake.script().error(500, "api_error", "Internal server error").always();
		this.fake.script("sk-a").normal();
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(200);
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(500);
		assertThat(anthropic("sk-b", MESSAGE).json().at("/error/message").asString())
			.isEqualTo("Internal server error");
	}

	@Test
	void writesErrorsInOpenAiEnvelopeOnChatCompletions() {
		this.fake.script("sk-o").rateLimited(Duration.ofSeconds(7));
		Reply reply = openAi("sk-o", "/v1/chat/completions", COMPLETION);
		assertThat(reply.status()).isEqualTo(429);
		assertThat(reply.headers().get("retry-after")).isEqualTo("7");
		assertThat(reply.json().has("type")).isFalse();
		assertThat(reply.json().at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(reply.json().at("/error/message").asString()).isNotEmpty();
		assertThat(reply.json().at("/error/type").asString()).isEqualTo("requests");
	}

	@Test
	void respondsWithExactBytesAndHeaders() {
		this.fake.script("sk-a").respond(503, Map.of("Content-Type", "text/html", "x-custom", "1"), "<h1>down</h1>");
		Reply reply = anthropic("sk-a", MESSAGE);
		assertThat(reply.status()).isEqualTo(503);
		assertThat(reply.headers().get("content-type")).isEqualTo("text/html");
		assertThat(reply.headers().get("x-custom")).isEqualTo("1");
		assertThat(reply.body()).isEqualTo("<h1>down</h1>");
	}

	@Test
	void answersLikeBrokenProxiesAndCutOffUpstreamsOnDemand() {
		this.fake.script("sk-a").htmlError(502);
		this.fake.script("sk-a").emptyError(503);
		this.fake.script("sk-a").truncatedAnswer();
		this.fake.script("sk-a").nonJsonAnswer("text/plain", "upstream busy");
		Reply html = anthropic("sk-a", MESSAGE);
		assertThat(html.status()).isEqualTo(502);
		assertThat(html.headers().get("content-type")).isEqualTo("text/html");
		assertThat(html.body()).contains("<h1>502 Bad Gateway</h1>");
		Reply empty = anthropic("sk-a", MESSAGE);
		assertThat(empty.status()).isEqualTo(503);
		assertThat(empty.headers().get("content-type")).isEqualTo("application/json");
		assertThat(empty.body()).isNullOrEmpty();
		Reply truncated = anthropic("sk-a", STREAMED_MESSAGE);
		assertThat(truncated.status()).isEqualTo(200);
		assertThat(truncated.headers().get("content-type")).isEqualTo("application/json");
		assertThat(truncated.body()).startsWith("{").doesNotEndWith("}");
		Reply text = anthropic("sk-a", MESSAGE);
		assertThat(text.status()).isEqualTo(200);
		assertThat(text.body()).isEqualTo("upstream busy");
	}

	@Test
	void addsScriptedHeadersToAnyAnswer() {
		this.fake.script("sk-a").normal().withHeaders(Map.of("anthropic-ratelimit-requests-limit", "50"));
		Reply reply = anthropic("sk-a", MESSAGE);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.headers().get("anthropic-ratelimit-requests-limit")).isEqualTo("50");
		assertThat(reply.json().get("type").asString()).isEqualTo("message");
	}

	@Test
	void streamsChatCompletionChunksWithRoleChunkUsageChunkAndDone() {
		List<String> frames = openAiFrames("sk-o", STREAMED_COMPLETION).collectList().block();
		assertThat(frames).allSatisfy((frame) -> assertThat(FakeClient.event(frame)).isNull());
		assertThat(FakeClient.data(frames.get(frames.size() - 1))).isEqualTo("[DONE]");
		List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream().map(FakeClient::json).toList();
		assertThat(chunks.get(0).at("/choices/0/delta/role").asString()).isEqualTo("assistant");
		assertThat(chunks.get(0).at("/choices/0/delta/content").asString()).isEmpty();
		JsonNode finish = chunks.get(chunks.size() - 2);
		assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = chunks.get(chunks.size() - 1);
		assertThat(usage.get("choices").isEmpty()).isTrue();
		assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(STREAMED_COMPLETION.length() / 4);
		assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy((chunk) -> {
			assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.get("model").asString()).isEqualTo("gpt-4o-mini");
			assertThat(chunk.get("usage").isNull()).isTrue();
		});
		List<String> withoutUsage = openAiFrames("sk-o", COMPLETION.replace("{\"model\"", "{\"stream\":true,\"model\""))
			.collectList()
			.block();
		assertThat(withoutUsage).hasSize(frames.size() - 1);
		assertThat(FakeClient.json(withoutUsage.get(0)).has("usage")).isFalse();
	}

	@Test
	void streamsParallelToolCallsWithArgumentsSplitAcrossChunks() {
		this.fake.script("sk-o")
			.reply(OpenAiReply.create()
				.toolCall("call_1", "get_weather", "{\"city\"", ":\"Paris\"}")
				.toolCall("call_2", "get_time", "{\"tz\":", "\"CET\"}")
				.interleaveToolCalls());
		List<JsonNode> calls = openAiFrames("sk-o", STREAMED_COMPLETION).filter((frame) -> !frame.contains("[DONE]"))
			.map((frame) -> FakeClient.json(frame).at("/choices/0/delta/tool_calls/0"))
			.filter((call) -> !call.isMissingNode())
			.collectList()
			.block();
		assertThat(calls).extracting((call) -> call.get("index").asInt()).containsExactly(0, 1, 0, 1);
		assertThat(calls.get(0).get("id").asString()).isEqualTo("call_1");
		assertThat(calls.get(1).at("/function/name").asString()).isEqualTo("get_time");
		assertThat(calls.get(2).has("id")).isFalse();
		String second = calls.stream()
			.filter((call) -> call.get("index").asInt() == 1)
			.map((call) -> call.at("/function/arguments").asString())
			.collect(Collectors.joining());
		assertThat(second).isEqualTo("{\"tz\":\"CET\"}");
		this.fake.script("sk-o").reply(OpenAiReply.create().toolCall("call_1", "get_weather", "{}"));
		JsonNode completion = openAi("sk-o", "/v1/chat/completions", COMPLETION).json();
		assertThat(completion.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
		assertThat(completion.at("/choices/0/message/content").isNull()).isTrue();
		assertThat(completion.at("/choices/0/message/tool_calls/0/function/arguments").asString()).isEqualTo("{}");
	}

	@Test
	void answersChatCompletionWithReasoningFieldAndCachedTokens() {
		this.fake.script("sk-o")
			.reply(OpenAiReply.standard().reasoning("Thinking").reasoningField("reasoning").cachedTokens(30));
		JsonNode completion = openAi("sk-o", "/chat/completions", COMPLETION).json();
		assertThat(completion.get("object").asString()).isEqualTo("chat.completion");
		assertThat(completion.at("/choices/0/message/reasoning").asString()).isEqualTo("Thinking");
		assertThat(completion.at("/choices/0/message/reasoning_content").isMissingNode()).isTrue();
		assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(COMPLETION.length() / 4 + 30);
		assertThat(completion.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(30);
	}

	@Test
	void bendsTheOpenAiStreamLikeRealUpstreams() {
		this.fake.script("sk-o").reply(OpenAiReply.create().content("a", "b").contentWithFinish().withoutDone());
		this.fake.script("sk-o").reply(OpenAiReply.standard().errorMidStream("upstream exploded", "server_error"));
		List<String> combined = openAiFrames("sk-o", STREAMED_COMPLETION).collectList().block();
		assertThat(combined).noneMatch((frame) -> frame.contains("[DONE]"));
		JsonNode last = FakeClient.json(combined.get(combined.size() - 2));
		assertThat(last.at("/choices/0/delta/content").asString()).isEqualTo("b");
		assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
		List<String> failed = openAiFrames("sk-o", STREAMED_COMPLETION).collectList().block();
		assertThat(FakeClient.json(failed.get(failed.size() - 1)).at("/error/message").asString())
			.isEqualTo("upstream exploded");
	}

	@Test
	void streamsRawFramesSpacedByTheDelay() {
		List<String> raw = List.of(Sse.event("message_start", "{\"type\":\"message_start\"}"),
				Sse.event("ping", "{\"type\":\"ping\"}"), Sse.event("message_stop", "{\"type\":\"message_stop\"}"));
		this.fake.script("sk-a").streamEvents(raw, Duration.ofMillis(150));
		long started = System.nanoTime();
		List<String> frames = anthropicFrames("sk-a", STREAMED_MESSAGE).collectList().block();
		assertThat(frames).isEqualTo(raw);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void stallsAfterEventsKeepingTheConnectionOpenUntilTheClientLeaves() {
		this.fake.script("sk-a").stallAfterEvents(3);
		anthropicFrames("sk-a", STREAMED_MESSAGE).as(StepVerifier::create)
			.expectNextCount(3)
			.expectNoEvent(Duration.ofMillis(300))
			.then(() -> assertThat(this.fake.inFlight()).isEqualTo(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.fake.inFlight() == 0);
	}

	@Test
	void stallsBeforeAnyByteOfAPlainAnswer() {
		this.fake.script("sk-a").stallAfterEvents(0);
		this.client.post("/v1/messages", anthropicHeaders("sk-a"), MESSAGE)
			.as(StepVerifier::create)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(300))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void dropsTheConnectionAfterEvents() {
		this.fake.script("sk-a").dropConnectionAfterEvents(2);
		anthropicFrames("sk-a", STREAMED_MESSAGE).as(StepVerifier::create)
			.expectNextCount(2)
			.expectError(PrematureCloseException.class)
			.verify(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.fake.inFlight() == 0 && this.fake.openConnections() == 0);
	}

	@Test
	void dropsAPlainAnswerHalfwayOrBeforeAnyByte() {
		this.fake.script("sk-a").dropConnectionAfterEvents(1);
		this.fake.script("sk-a").disconnect();
		for (int i = 0; i < 2; i++) {
			this.client.post("/v1/messages", anthropicHeaders("sk-a"), MESSAGE)
				.as(StepVerifier::create)
				.expectError(PrematureCloseException.class)
				.verify(Duration.ofSeconds(5));
		}
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(200);
	}

	@Test
	void delaysTheFirstByte() {
		this.fake.script("sk-a").delayFirstByte(Duration.ofMillis(300));
		long started = System.nanoTime();
		assertThat(anthropic("sk-a", MESSAGE).status()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void holdsResponsesUntilReleasedAndCountsThemInFlight() {
		Gate gate = this.fake.hold();
		List<Mono<Reply>> pending = List.of(1, 2, 3)
			.stream()
			.map((i) -> this.client.post("/v1/messages", anthropicHeaders("sk-" + i), MESSAGE).cache())
			.toList();
		pending.forEach(Mono::subscribe);
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 3);
		assertThat(this.fake.inFlight()).isEqualTo(3);
		assertThat(this.fake.requests()).hasSize(3);
		this.fake.release();
		assertThat(Flux.merge(pending).map(Reply::status).collectList().block(Duration.ofSeconds(5))).containsOnly(200);
		assertThat(this.fake.maxInFlight()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.fake.inFlight() == 0);
	}

	@Test
	void holdsOnlyTheStepGivenAGate() {
		Gate gate = new Gate();
		this.fake.script("sk-a").normal().heldBy(gate);
		Mono<Reply> held = this.client.post("/v1/messages", anthropicHeaders("sk-a"), MESSAGE).cache();
		held.subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 1);
		assertThat(anthropic("sk-b", MESSAGE).status()).isEqualTo(200);
		gate.release();
		assertThat(held.block(Duration.ofSeconds(5)).status()).isEqualTo(200);
	}

	private Reply anthropic(String credential, String body) {
		return this.client.post("/v1/messages", anthropicHeaders(credential), body).block(Duration.ofSeconds(5));
	}

	private Flux<String> anthropicFrames(String credential, String body) {
		return this.client.frames("/v1/messages", anthropicHeaders(credential), body);
	}

	private Reply openAi(String credential, String path, String body) {
		return this.client.post(path, openAiHeaders(credential), body).block(Duration.ofSeconds(5));
	}

	private Flux<String> openAiFrames(String credential, String body) {
		return this.client.frames("/v1/chat/completions", openAiHeaders(credential), body);
	}

	private static Map<String, String> anthropicHeaders(String credential) {
		return Map.of("x-api-key", credential, "anthropic-version", "2023-06-01", "content-type", "application/json");
	}

	private static Map<String, String> openAiHeaders(String credential) {
		return Map.of("authorization", "Bearer " + credential, "content-type", "application/json");
	}

}
