package io.tollgate.gateway.fake;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.OverloadedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The official Anthropic Java SDK reads the fake's answers, streamed and not, the way it
 * reads the real API's.
 */
class FakeUpstreamSdkTests {

	private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
		.model("claude-sonnet-4-5")
		.maxTokens(256)
		.addUserMessage("What is the weather in Paris?")
		.build();

	private FakeUpstream fake;

	private AnthropicClient client;

	@BeforeEach
	void start() {
		this.fake = FakeUpstream.start();
		this.client = AnthropicOkHttpClient.builder().apiKey("sk-a").baseUrl(this.fake.baseUrl()).maxRetries(0).build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.fake.close();
	}

	@Test
	void sdkAccumulatesTheStreamIntoTheSameMessageAsTheNonStreamingAnswer() {
		AnthropicReply reply = AnthropicReply.create()
			.thinking("c2lnbmF0dXJl", "The user ", "wants weather.")
			.text("Let me check.")
			.toolUse("toolu_01", "get_weather", "", "{\"city\":", "\"Paris\"}")
			.cacheWrite(10, 20)
			.cacheRead(30);
		this.fake.script("sk-a").reply(reply).times(2);
		Message plain = this.client.messages().create(PARAMS);
		Message streamed;
		try (StreamResponse<RawMessageStreamEvent> stream = this.client.messages().createStreaming(PARAMS)) {
			MessageAccumulator accumulator = MessageAccumulator.create();
			stream.stream().forEach(accumulator::accumulate);
			streamed = accumulator.message();
		}
		assertThat(streamed.content()).isEqualTo(plain.content());
		assertThat(streamed.content()).extracting(this::kind).containsExactly("thinking", "text", "tool_use");
		assertThat(streamed.stopReason()).contains(StopReason.TOOL_USE);
		assertThat(streamed.usage().outputTokens()).isEqualTo(plain.usage().outputTokens());
		assertThat(streamed.usage().cacheReadInputTokens()).contains(30L);
		assertThat(streamed.model().asString()).isEqualTo("claude-sonnet-4-5");
		assertThat(this.fake.requests()).allSatisfy((request) -> assertThat(request.credential()).isEqualTo("sk-a"));
	}

	@Test
	void sdkRaisesOverloadedForTheScriptedRefusal() {
		this.fake.script("sk-a").overloaded();
		assertThatExceptionOfType(OverloadedException.class).isThrownBy(() -> this.client.messages().create(PARAMS))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(529));
	}

	private String kind(ContentBlock block) {
		if (block.isThinking()) {
			return "thinking";
		}
		return block.isToolUse() ? "tool_use" : (block.isText() ? "text" : "other");
	}

}
