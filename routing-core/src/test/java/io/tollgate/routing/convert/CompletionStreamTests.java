package io.tollgate.routing.convert;

import java.util.List;

import com.anthropic.models.messages.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A streaming request answered with one JSON completion: every golden response becomes a
 * well-formed stream that the official SDK accumulates into the same message as the
 * non-streaming conversion; an error body stays an upstream error (C50, C146).
 */
class CompletionStreamTests {

	private static final Golden GOLDEN = Golden.of("response");

	static List<String> cases() {
		return GOLDEN.cases(".upstream.json").stream().filter((name) -> !name.startsWith("C48-")).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void completionBecomesAStreamOfTheSameMessage(String name) {
		ConversionContext context = Golden.convert(GOLDEN.request(name), OpenAiQuirks.defaults()).context();
		JsonNode upstream = GOLDEN.json(name + ".upstream.json");
		CompletionStream.Converted converted = new CompletionStream().convert(upstream, context);
		StreamInvariants.check(converted.events());
		Message streamed = SdkAccumulation.accumulate(converted.events());
		Message direct = SdkAccumulation.message(new ResponseConverter().toAnthropic(upstream, context));
		assertThat(streamed).isEqualTo(direct);
		assertThat(converted.usage().outputTokens()).isEqualTo(direct.usage().outputTokens());
	}

	@Test
	void errorObjectIsAnUpstreamErrorWithItsMessage() {
		JsonNode body = Golden.MAPPER.readTree("""
				{"error":{"message":"model 'qwen3' not found","type":"invalid_request_error","code":404}}""");
		assertThatExceptionOfType(UpstreamErrorException.class)
			.isThrownBy(() -> new CompletionStream().convert(body, ConversionContext.of("m", "msg_1", true)))
			.satisfies((ex) -> assertThat(ex.error().message()).contains("model 'qwen3' not found"));
	}

}
