package io.tollgate.routing.convert;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tollgate.routing.sse.SseEvent;
import io.tollgate.routing.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class StreamConverterTests {

	private static final ConversionContext CONTEXT = new ConversionContext("claude-sonnet-4-5", "msg_unit", true,
			List.of(), Map.of(), 40);

	private static final String TEXT = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}";

	private static final String FINISH = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";

	private static final String USAGE = "{\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":9,"
			+ "\"prompt_tokens_details\":{\"cached_tokens\":100}}}";

	@Test
	void holdsTheMessageDeltaUntilUsageArrives() {
		StreamConverter converter = new StreamConverter(CONTEXT);
		converter.onData(TEXT);
		assertThat(names(converter.onData(FINISH))).as("C141").containsExactly("content_block_stop");
		assertThat(names(converter.onData(USAGE))).containsExactly("message_delta", "message_stop");
		assertThat(converter.finished()).isTrue();
		assertThat(converter.usage()).isEqualTo(new TokenUsage(20, 9, 0, 0, 0, 100));
	}

	@Test
	void consumesDoneWithoutForwardingItAndEmitsNothingAfterMessageStop() {
		StreamConverter converter = new StreamConverter(CONTEXT);
		converter.onData(TEXT);
		converter.onData(FINISH);
		converter.onData(USAGE);
		assertThat(converter.onData("[DONE]")).as("C143").isEmpty();
		assertThat(converter.onData(TEXT)).as("C96").isEmpty();
		assertThat(converter.onUpstreamEnd()).isEmpty();
	}

	@Test
	void doneWithoutUsageSendsTheHeldDeltaWithAnEstimate() {
		StreamConverter converter = new StreamConverter(CONTEXT);
		converter.onData(TEXT);
		converter.onData(FINISH);
		assertThat(names(converter.onData(" [DONE] "))).containsExactly("message_delta", "message_stop");
		assertThat(converter.usage()).isEqualTo(new TokenUsage(40, 2, 0, 0, 0, 0));
	}

	@Test
	void estimatesWhatWasGeneratedWhenTheClientCancelsMidStream() {
		StreamConverter converter = new StreamConverter(CONTEXT);
		converter.onData(TEXT);
		assertThat(converter.finished()).isFalse();
		assertThat(converter.usage().outputTokens()).isPositive();
		assertThat(converter.usage().inputTokens()).isEqualTo(40);
	}

	@Test
	void ignoresBlankPayloadsAndChoicesOtherThanTheFirst() {
		StreamConverter converter = new StreamConverter(CONTEXT);
		assertThat(converter.onData("  ")).isEmpty();
		List<SseEvent> events = converter
			.onData("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"},\"finish_reason\":null}]}");
		assertThat(names(events)).containsExactly("message_start");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.tollgate.routing.convert.StreamConverterGoldenTests#cases")
	void framesEveryEventAsOneCompactDataLine(String name) {
		for (SseEvent event : StreamRun.of(name).events()) {
			assertThat(event.data()).as("C82").doesNotContain("\n", "\r");
			assertThat(new String(event.toBytes(), StandardCharsets.UTF_8))
				.isEqualTo("event: " + event.event() + "\ndata: " + event.data() + "\n\n");
		}
	}

	private static List<String> names(List<SseEvent> events) {
		return events.stream().map(SseEvent::event).toList();
	}

}
