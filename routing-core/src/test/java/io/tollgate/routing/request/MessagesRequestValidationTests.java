package io.tollgate.routing.request;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the scanner refuses so that a request means one thing and carries nothing that
 * Tollgate could not store: duplicates, invalid Unicode, unbounded or unprintable values,
 * and parser texts that must never reach the client.
 */
class MessagesRequestValidationTests {

	private static final String REST = "\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

	private static ScannedRequest scan(String json) {
		return scan(json.getBytes(StandardCharsets.UTF_8));
	}

	private static ScannedRequest scan(byte[] json) {
		return MessagesRequestScanner.scan(json, true);
	}

	private static String withModel(String jsonString) {
		return "{\"model\":" + jsonString + "," + REST + "}";
	}

	@Test
	void acceptsAModelAsLongAsTheUsageColumn() {
		String model = "m".repeat(RequestStrings.MODEL_MAX_LENGTH);
		assertThat(scan(withModel("\"" + model + "\"")).model()).isEqualTo(model);
	}

	@Test
	void refusesAModelLongerThanTheUsageColumn() {
		String model = "m".repeat(RequestStrings.MODEL_MAX_LENGTH + 1);
		assertThatThrownBy(() -> scan(withModel("\"" + model + "\""))).isInstanceOf(InvalidRequest.class)
			.hasMessage("model: String should have at most 200 characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"claude\\u0000x\"", "\"claude\\nx\"", "\"claude\\u007fx\"", "\"claude\\u0085\"" })
	void refusesControlCharactersInTheModel(String model) {
		assertThatThrownBy(() -> scan(withModel(model))).isInstanceOf(InvalidRequest.class)
			.hasMessage("model: String should not contain control characters");
	}

	@Test
	void refusesAnEmptyModel() {
		assertThatThrownBy(() -> scan(withModel("\"\""))).isInstanceOf(InvalidRequest.class)
			.hasMessage("model: String should have at least 1 character");
	}

	@Test
	void acceptsNonAsciiModelNamesAndPairedSurrogates() {
		assertThat(scan(withModel("\"mod\\u00e8le-\\ud83d\\ude00-é\"")).model()).isEqualTo("modèle-😀-é");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"claude\\ud800\"", "\"claude\\udc00\"", "\"\\ud800\\u0041\"", "\"x\\ud800\"" })
	void refusesALoneSurrogateInTheModel(String model) {
		assertThatThrownBy(() -> scan(withModel(model))).isInstanceOf(InvalidRequest.class)
			.hasMessageStartingWith("Request body is not valid Unicode: a lone surrogate");
	}

	@Test
	void refusesALoneSurrogateAnywhereEvenInSkippedContent() {
		String body = "{\"model\":\"m\",\"max_tokens\":1,\"system\":[{\"type\":\"text\",\"text\":\"a\\udbff b\"}],"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"\\udfff\"}]}";
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class)
			.hasMessageStartingWith("Request body is not valid Unicode: a lone surrogate (\\udbff)");
	}

	@Test
	void anEscapedBackslashBeforeUIsNotAnEscape() {
		ScannedRequest request = scan(
				"{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"C:\\\\ud800\"}]}");
		assertThat(request.model()).isEqualTo("m");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ed a0 80", "c0 af", "e0 80 af", "f8 88 80 80 80", "ff", "80", "e2 82", "f4 90 80 80" })
	void refusesBytesThatAreNotUtf8AnywhereInAString(String hex) {
		byte[] head = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"a"
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
		String[] parts = hex.split(" ");
		byte[] body = new byte[head.length + parts.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		for (int i = 0; i < parts.length; i++) {
			body[head.length + i] = (byte) Integer.parseInt(parts[i], 16);
		}
		System.arraycopy(tail, 0, body, head.length + parts.length, tail.length);
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class)
			.hasMessage("Request body is not valid Unicode: bytes that are not UTF-8 at byte " + head.length);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"model\":\"claude-opus-4\",\"model\":\"claude-haiku-4\"," + REST + "}|model",
			"{\"model\":\"m\",\"max_tokens\":1,\"max_tokens\":9000,\"messages\":[]}|max_tokens",
			"{\"model\":\"m\",\"metadata\":{\"user_id\":\"a\",\"user_id\":\"b\"}," + REST + "}|metadata.user_id",
			"{\"model\":\"m\",\"thinking\":{\"type\":\"disabled\",\"type\":\"enabled\"}," + REST + "}|thinking.type",
			"{\"model\":\"m\",\"gateway\":{\"only\":[\"a\"],\"only\":[\"b\"]}," + REST + "}|gateway.only",
			"{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"role\":\"assistant\",\"content\":\"x\"}]}|messages.0.role",
			"{\"model\":\"m\",\"stream\":false," + REST + ",\"stream\":true}|stream" })
	void refusesDuplicateMembersNamingThem(String body, String path) {
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class)
			.hasMessage(path + ": Duplicate member: each member may appear only once in an object");
	}

	@Test
	void acceptsTheSameNameInDifferentObjects() {
		ScannedRequest request = scan("{\"model\":\"m\",\"max_tokens\":1,\"metadata\":{\"model\":\"x\"},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}");
		assertThat(request.model()).isEqualTo("m");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "1024.0|1024", "1e3|1000", "2.50E2|250", "0.0|0" })
	void acceptsIntegralNumbersWrittenAsFloats(String written, long value) {
		assertThat(scan("{\"model\":\"m\",\"max_tokens\":" + written + ",\"messages\":[]}").maxTokens())
			.isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1024.5", "1e-3", "99999999999999999999", "1e400", "true", "null", "[1]" })
	void refusesMaxTokensThatAreNotIntegers(String written) {
		assertThatThrownBy(() -> scan("{\"model\":\"m\",\"max_tokens\":" + written + ",\"messages\":[]}"))
			.isInstanceOf(InvalidRequest.class)
			.hasMessage("max_tokens: Input should be a valid integer");
	}

	@Test
	void boundsAndChecksTheMetadataUserId() {
		String fits = "u".repeat(RequestStrings.USER_ID_MAX_LENGTH);
		assertThat(scan("{\"model\":\"m\",\"metadata\":{\"user_id\":\"" + fits + "\"}," + REST + "}").metadataUserId())
			.isEqualTo(fits);
		assertThatThrownBy(() -> scan("{\"model\":\"m\",\"metadata\":{\"user_id\":\"" + fits + "u\"}," + REST + "}"))
			.hasMessage("metadata.user_id: String should have at most 256 characters");
		assertThatThrownBy(() -> scan("{\"model\":\"m\",\"metadata\":{\"user_id\":\"a\\u0000\"}," + REST + "}"))
			.hasMessage("metadata.user_id: String should not contain control characters");
		assertThatThrownBy(() -> scan("{\"model\":\"m\",\"metadata\":{\"user_id\":7}," + REST + "}"))
			.hasMessage("metadata.user_id: Input should be a valid string");
		assertThatThrownBy(() -> scan("{\"model\":\"m\",\"metadata\":\"x\"," + REST + "}"))
			.hasMessage("metadata: Input should be a valid dictionary");
		assertThat(scan("{\"model\":\"m\",\"metadata\":{\"user_id\":null}," + REST + "}").metadataUserId()).isNull();
		assertThat(scan("{\"model\":\"m\",\"metadata\":null," + REST + "}").metadataUserId()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"model\": ", "{\"model\":\"m\",}", "{\"model\" \"m\"}", "{\"model\":tru}",
			"{\"model\":\"m\"} x", "{\"model\":\"a\tb\"}", "{\"model\":\"m\",\"x\":01}" })
	void neverQuotesTheParser(String body) {
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class)
			.hasMessageStartingWith("Request body is not valid JSON")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContainIgnoringCase("jackson")
				.doesNotContain("tools.")
				.doesNotContain("Unexpected character")
				.doesNotContain("Exception")
				.doesNotContain("[Source"));
	}

	@Test
	void refusesADeeplyNestedBodyWithoutQuotingTheParser() {
		String body = "{\"model\":\"m\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "," + REST + "}";
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class)
			.hasMessageStartingWith("Request body is not valid JSON")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("Constraint").doesNotContain("nesting"));
	}

}
