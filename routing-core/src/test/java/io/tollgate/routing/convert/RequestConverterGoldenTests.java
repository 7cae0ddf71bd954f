package io.tollgate.routing.convert;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One fixture per request rule: {@code <case>.request.json} (the Anthropic request),
 * optional {@code <case>.quirks.json} (account settings, kebab-case) and either
 * {@code <case>.expected.json} (the OpenAI body) or {@code <case>.error.txt} (the 400
 * message).
 */
class RequestConverterGoldenTests {

	private static final Golden GOLDEN = Golden.of("request");

	static List<String> cases() {
		return GOLDEN.cases(".request.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void convertsRequestAsTheFixtureSays(String name) {
		ObjectNode request = GOLDEN.request(name);
		ObjectNode original = request.deepCopy();
		OpenAiQuirks quirks = quirks(name);
		if (GOLDEN.exists(name + ".error.txt")) {
			assertThatExceptionOfType(ConversionException.class).isThrownBy(() -> Golden.convert(request, quirks))
				.withMessage(GOLDEN.text(name + ".error.txt").strip());
			return;
		}
		JsonNode body = Golden.normalised(Golden.convert(request, quirks).body());
		assertThat(body).isEqualTo(GOLDEN.expected(name + ".expected.json", body));
		assertThat(request).as("the client's request is not modified").isEqualTo(original);
	}

	static OpenAiQuirks quirks(String name) {
		String file = name + ".quirks.json";
		if (!GOLDEN.exists(file)) {
			return OpenAiQuirks.defaults();
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> settings = Golden.MAPPER.convertValue(GOLDEN.json(file), Map.class);
		return OpenAiQuirks.fromSettings(settings);
	}

}
