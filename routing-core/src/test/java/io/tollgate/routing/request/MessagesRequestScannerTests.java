package io.tollgate.routing.request;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesRequestScannerTests {

	private static ScannedRequest scan(String json) {
		return MessagesRequestScanner.scan(json.getBytes(StandardCharsets.UTF_8), true);
	}

	private static String forward(ScannedRequest request, String model) {
		return new String(request.forwardBody(model), StandardCharsets.UTF_8);
	}

	@Test
	void rewritesOnlyTheModelAndKeepsEveryOtherByte() {
		String body = "{ \"system\" : [{\"type\":\"text\",\"text\":\"a\",\"cache_control\":{\"type\":\"ephemeral\"}}],\n"
				+ "  \"model\":\"claude-x\", \"max_tokens\": 10, \"new_field\": {\"z\": [1,2]},"
				+ " \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"stream\": true}";
		ScannedRequest request = scan(body);
		assertThat(request.model()).isEqualTo("claude-x");
		assertThat(request.stream()).isTrue();
		assertThat(request.maxTokens()).isEqualTo(10);
		assertThat(forward(request, "claude-sonnet-4-5\"q"))
			.isEqualTo(body.replace("\"claude-x\"", "\"claude-sonnet-4-5\\\"q\""));
		assertThat(request.forwardBody("claude-x")).isSameAs(request.body());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"gateway\":{\"zdr\":true},\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}|{\"model\":\"u\",\"max_tokens\":1,\"messages\":[]}",
			"{\"model\":\"m\",\"gateway\":{\"order\":[\"a\"]},\"max_tokens\":1,\"messages\":[]}|{\"model\":\"u\",\"max_tokens\":1,\"messages\":[]}",
			"{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"gateway\":{}}|{\"model\":\"u\",\"max_tokens\":1,\"messages\":[]}",
			"{\"model\":\"m\",\"max_tokens\":1,\"x\":\"s\",\"gateway\" : {} , \"messages\":[]}|{\"model\":\"u\",\"max_tokens\":1,\"x\":\"s\" , \"messages\":[]}" })
	void removesTheGatewayMemberWherever(String body, String expected) {
		ScannedRequest request = scan(body);
		assertThat(request.gateway()).isNotNull();
		assertThat(forward(request, "u")).isEqualTo(expected);
	}

	@Test
	void readsSessionHintsAndTheOpeningMessage() {
		ScannedRequest request = scan("{\"model\":\"m\",\"max_tokens\":1,\"metadata\":{\"user_id\":\"u_session_1\"},"
				+ "\"thinking\":{\"type\":\"adaptive\"},\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"x\"}]}");
		assertThat(request.metadataUserId()).isEqualTo("u_session_1");
		assertThat(request.thinking()).isTrue();
		assertThat(new String(request.slice(request.opening()), StandardCharsets.UTF_8))
			.isEqualTo("{\"role\":\"user\",\"content\":\"first\"}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"messages\":[],\"max_tokens\":1}|model: Field required",
			"{\"model\":\"m\",\"messages\":[]}|max_tokens: Field required",
			"{\"model\":\"m\",\"max_tokens\":\"10\",\"messages\":[]}|max_tokens: Input should be a valid integer",
			"{\"model\":\"m\",\"max_tokens\":1,\"messages\":{}}|messages: Input should be a valid list",
			"{\"model\":\"m\",\"max_tokens\":1}|messages: Field required",
			"{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"stream\":\"yes\"}|stream: Input should be a valid boolean",
			"[1]|Request body is not valid JSON: expected a JSON object" })
	void refusesMissingOrMistypedFieldsWithAPathInTheMessage(String body, String message) {
		assertThatThrownBy(() -> scan(body)).isInstanceOf(InvalidRequest.class).hasMessage(message);
	}

	@Test
	void refusesMalformedJson() {
		assertThatThrownBy(() -> scan("{\"model\": ")).isInstanceOf(InvalidRequest.class)
			.hasMessageStartingWith("Request body is not valid JSON");
	}

	@Test
	void countTokensNeedsNoMaxTokens() {
		ScannedRequest request = MessagesRequestScanner
			.scan("{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8), false);
		assertThat(request.maxTokens()).isEqualTo(-1);
	}

	@Test
	void notesImagesAnywhereInTheMessages() {
		assertThat(scan("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
				+ "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
				+ "[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AA\"}}]}]}]}")
			.images()).isTrue();
		ScannedRequest plain = scan("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":"
				+ "[{\"type\":\"text\",\"text\":\"image\"},{\"type\":\"text\",\"text\":\"x\",\"type2\":{\"type\":\"imag\"}}]}]}");
		assertThat(plain.images()).isFalse();
		assertThat(new String(plain.slice(plain.opening()), StandardCharsets.UTF_8)).startsWith("{\"role\"")
			.endsWith("]}");
	}

}
