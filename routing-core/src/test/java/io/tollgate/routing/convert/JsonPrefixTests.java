package io.tollgate.routing.convert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict JSON-object prefix that lets tool arguments stream fragment by fragment
 * (C90).
 */
class JsonPrefixTests {

	private static final JsonMapper STRICT = JsonMapper.builder().build();

	@ParameterizedTest
	@ValueSource(strings = { "{", "{\"a\"", "{\"a\":", "{\"a\": tr", "{\"a\":-", "{\"a\":1.", "{\"a\":1e+",
			"{\"a\":\"x\\", "{\"a\":\"\\u00", "{\"a\":[1, {\"b\":", "{\"a\":1,", "{\"a\":[", "{\"a\":[1,",
			"  {\"a\" : null , \"b\" : [ true, false ] ", "{\"k\":\"日本🙂\"" })
	void closesEveryValidBeginningIntoAnObject(String prefix) {
		JsonPrefix json = new JsonPrefix();
		for (int i = 0; i < prefix.length(); i++) {
			assertThat(json.accept(prefix.substring(i, i + 1))).as("char %d of %s", i, prefix).isTrue();
		}
		assertThat(json.complete()).isFalse();
		assertThat(STRICT.readTree(prefix + json.closingSuffix()).isObject()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{'a'", "[1]", "\"{}\"", "{\"a\":01", "{\"a\":tx", "{\"a\" 1", "{\"a\":1}}",
			"{\"a\":1} x", "{,", "{\"a\":[1,]" })
	void refusesWhatNoObjectCanStartWith(String text) {
		JsonPrefix json = new JsonPrefix();
		boolean all = true;
		for (int i = 0; i < text.length() && all; i++) {
			all = json.accept(text.substring(i, i + 1));
		}
		assertThat(all).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"a\":{\"b\":[1,2.5e3,-0,\"\\u00e9\\n\"]},\"c\":null}", " { } " })
	void recognisesACompleteObject(String text) {
		JsonPrefix json = new JsonPrefix();
		assertThat(json.accept(text)).isTrue();
		assertThat(json.complete()).isTrue();
		assertThat(json.closingSuffix()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\":1", "{\"a\":\"b" })
	void aRefusedFragmentLeavesTheStateAsItWas(String start) {
		JsonPrefix json = new JsonPrefix();
		assertThat(json.accept(start)).isTrue();
		String compact = json.compact();
		assertThat(json.accept("\u0001'}")).isFalse();
		assertThat(json.compact()).isEqualTo(compact);
		assertThat(STRICT.readTree(start + json.closingSuffix()).isObject()).isTrue();
	}

}
