package io.tollgate.routing.convert;

import java.util.List;

import com.anthropic.models.ErrorObject;
import com.anthropic.models.messages.Message;
import io.tollgate.routing.sse.SseEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C147, C149: the official Java SDK rebuilds every golden stream without raising, and the
 * message equals what the non-streaming converter makes of the same upstream content.
 * Error streams end in an event the SDK reads as its error shape.
 */
class SdkAccumulationTests {

	static List<String> cases() {
		return StreamConverterGoldenTests.cases();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void sdkRebuildsTheSameMessageAsTheNonStreamingConverter(String name) {
		StreamRun run = StreamRun.of(name);
		StreamInvariants.check(run.events());
		SseEvent last = run.events().get(run.events().size() - 1);
		if ("error".equals(last.event())) {
			ErrorObject error = SdkAccumulation.error(last).error();
			assertThat(error.isRateLimitError() || error.isOverloadedError() || error.isApiError())
				.as("the error event is one of the SDK's known error types: " + last.data())
				.isTrue();
			return;
		}
		assertSameMessage(run);
	}

	static void assertSameMessage(StreamRun run) {
		Message streamed = SdkAccumulation.accumulate(run.events());
		Message direct = SdkAccumulation
			.message(new ResponseConverter().toAnthropic(ChunkAssembler.assemble(run.payloads()), run.context()));
		assertThat(streamed.content()).as("content").isEqualTo(direct.content());
		assertThat(streamed.stopReason()).as("stop_reason").isEqualTo(direct.stopReason());
		assertThat(streamed.stopSequence()).as("stop_sequence").isEqualTo(direct.stopSequence());
		assertThat(streamed.usage()).as("usage").isEqualTo(direct.usage());
		assertThat(streamed.id()).isEqualTo(direct.id());
		assertThat(streamed.model()).isEqualTo(direct.model());
	}

}
