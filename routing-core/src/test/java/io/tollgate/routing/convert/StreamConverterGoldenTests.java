package io.tollgate.routing.convert;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fixture per stream rule: {@code <case>.upstream.json} is the list of upstream
 * {@code data:} payloads (an object is sent as its JSON, a string as is), optional
 * {@code <case>.request.json} gives the context, and {@code <case>.expected.json} is the
 * list of Anthropic events, {@code {"event", "data"}}. The upstream closes after the last
 * payload.
 */
class StreamConverterGoldenTests {

	static final Golden GOLDEN = Golden.of("stream");

	static List<String> cases() {
		return GOLDEN.cases(".upstream.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void convertsStreamAsTheFixtureSays(String name) {
		JsonNode actual = StreamRun.of(name).eventsAsJson();
		assertThat(actual).isEqualTo(GOLDEN.expected(name + ".expected.json", actual));
	}

}
