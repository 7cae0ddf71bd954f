package io.tollgate.routing.convert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** C130: tool arguments always become a JSON object. */
class ToolArgumentsTests {

	@ParameterizedTest(name = "[{0}] -> {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			value = { "``|{}", "`   `|{}", "{}|{}", "`{\"a\": 1}`|{\"a\":1}", "`{\"a\": [1, 2`|{\"a\":[1,2]}",
					"`{'a': 'b'}`|{\"a\":\"b\"}", "`{a: 1,}`|{\"a\":1}", "`{\"a\": \"x\\\"y`|{\"a\":\"x\\\"y\"}",
					"`{\"a\": 1, \"b`|{\"a\":1}", "`{\"a\":`|{\"a\":null}", "`\"{\\\"a\\\":1}\"`|{\"a\":1}",
					"`[1,2]`|{}", "`42`|{}", "`nonsense`|{}", "`{\"n\": 1.10}`|{\"n\":1.10}",
					"`{\"s\": \"line\nbreak\"}`|{\"s\":\"line\\nbreak\"}" })
	void normalisesAnyArgumentTextToAJsonObject(String raw, String expected) {
		assertThat(ToolArguments.normalise(raw)).isEqualTo(expected);
	}

}
