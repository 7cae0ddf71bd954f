package io.tollgate.routing.convert;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorConverterTests {

	private final ErrorConverter converter = new ErrorConverter();

	@ParameterizedTest(name = "C48: upstream {0} -> {1} {2}")
	@CsvSource({ "400, 400, invalid_request_error", "401, 401, authentication_error", "402, 402, billing_error",
			"403, 403, permission_error", "404, 404, not_found_error", "408, 504, timeout_error",
			"409, 409, invalid_request_error", "413, 413, request_too_large", "422, 422, invalid_request_error",
			"429, 429, rate_limit_error", "500, 500, api_error", "502, 500, api_error", "503, 529, overloaded_error",
			"504, 504, timeout_error", "529, 529, overloaded_error", "599, 500, api_error" })
	void mapsUpstreamStatusToAnthropicStatusAndType(int upstream, int status, String type) {
		AnthropicError error = this.converter.fromOpenAi(upstream, "{\"error\":{\"message\":\"boom\"}}", Map.of());
		assertThat(error.status()).isEqualTo(status);
		assertThat(error.type()).isEqualTo(type);
		assertThat(error.message()).isEqualTo("boom");
	}

	@Test
	void copiesRetryAfterForRateLimitsWhateverTheHeaderCase() {
		AnthropicError error = this.converter.fromOpenAi(429, "{}", Map.of("Retry-After", "7"));
		assertThat(error.retryAfter()).isEqualTo("7");
	}

	@Test
	void turnsRetryAfterMillisecondsIntoWholeSeconds() {
		AnthropicError error = this.converter.fromOpenAi(503, "", Map.of("retry-after-ms", "1500"));
		assertThat(error.retryAfter()).isEqualTo("2");
	}

	@Test
	void dropsRetryAfterForPermanentErrors() {
		assertThat(this.converter.fromOpenAi(400, "{}", Map.of("retry-after", "7")).retryAfter()).isNull();
	}

	@Test
	void usesThePlainBodyWhenItIsNotJson() {
		AnthropicError error = this.converter.fromOpenAi(502, "<html>Bad gateway</html>\n", Map.of());
		assertThat(error.message()).isEqualTo("<html>Bad gateway</html>");
	}

	@Test
	void usesTheDocumentedDefaultMessageForAnEmptyBody() {
		assertThat(this.converter.fromOpenAi(401, "", Map.of()).message()).isEqualTo("Authentication error");
		assertThat(this.converter.fromOpenAi(500, null, Map.of()).message()).isEqualTo("Internal server error");
	}

	@Test
	void readsStringErrorsAndDetailBodies() {
		assertThat(this.converter.fromOpenAi(400, "{\"error\":\"bad model\"}", Map.of()).message())
			.isEqualTo("bad model");
		assertThat(this.converter.fromOpenAi(404, "{\"detail\":\"Not Found\"}", Map.of()).message())
			.isEqualTo("Not Found");
	}

	@Test
	void givesContextLengthErrorsAnthropicsPromptTooLongWording() {
		String body = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
				+ "\"code\":\"context_length_exceeded\"}}";
		AnthropicError error = this.converter.fromOpenAi(400, body, Map.of());
		assertThat(error.message()).startsWith("prompt is too long: ");
	}

	@Test
	void writesTheAnthropicErrorEnvelopeWithRequestId() {
		AnthropicError error = new AnthropicError(429, "rate_limit_error", "Slow \"down\"", "3");
		assertThat(error.toJson("req_1")).isEqualTo(
				"{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow \\\"down\\\"\"},\"request_id\":\"req_1\"}");
		assertThat(error.toJson(null)).endsWith("\"request_id\":null}");
	}

	@Test
	void mapsInStreamErrorObjectsByCodeOrType() {
		assertThat(
				this.converter.fromOpenAiStreamError(Json.MAPPER.readTree("{\"message\":\"x\",\"code\":429}")).type())
			.isEqualTo("rate_limit_error");
		assertThat(this.converter
			.fromOpenAiStreamError(Json.MAPPER.readTree("{\"message\":\"x\",\"type\":\"server_error\"}"))
			.type()).isEqualTo("api_error");
		assertThat(this.converter.fromOpenAiStreamError(Json.MAPPER.readTree("\"plain text\"")).message())
			.isEqualTo("plain text");
	}

	@Test
	void framesTheStreamErrorEventWithTheErrorKey() {
		var event = new AnthropicError(529, "overloaded_error", "Overloaded", null).toSseEvent();
		assertThat(event.event()).isEqualTo("error");
		assertThat(event.data())
			.isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
	}

}
