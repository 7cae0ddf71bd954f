package io.tollgate.routing.convert;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fixture per response rule: {@code <case>.upstream.json} (the OpenAI body), optional
 * {@code <case>.request.json} (the Anthropic request that gives the context) and
 * {@code <case>.expected.json}: the Anthropic Message, or {@code {"upstream_error":
 * {status, body}}} when the body is an upstream error.
 */
class ResponseConverterGoldenTests {

	private static final Golden GOLDEN = Golden.of("response");

	static List<String> cases() {
		return GOLDEN.cases(".upstream.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void convertsResponseAsTheFixtureSays(String name) {
		ConversionContext context = Golden.convert(GOLDEN.request(name), OpenAiQuirks.defaults()).context();
		JsonNode actual = Golden.normalised(convert(GOLDEN.json(name + ".upstream.json"), context));
		assertThat(actual).isEqualTo(GOLDEN.expected(name + ".expected.json", actual));
	}

	private static JsonNode convert(JsonNode upstream, ConversionContext context) {
		try {
			return new ResponseConverter().toAnthropic(upstream, context);
		}
		catch (UpstreamErrorException ex) {
			ObjectNode error = Golden.MAPPER.createObjectNode();
			ObjectNode described = error.putObject("upstream_error").put("status", ex.error().status());
			described.set("body", Golden.MAPPER.readTree(ex.error().toJson(null)));
			return error;
		}
	}

}
