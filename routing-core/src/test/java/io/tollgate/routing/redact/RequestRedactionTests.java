package io.tollgate.routing.redact;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRedactionTests {

	private static final Redactor ALL = Redactor.of(PiiType.builtIn(), List.of());

	@Test
	void leavesARequestWithNothingToMaskUntouched() {
		byte[] body = bytes("""
				{"model":"claude-sonnet-4-5", "max_tokens":64,
				  "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
				  "messages":[{"role":"user","content":"Hello\\u0021"}]}""");
		RequestRedaction.Result result = RequestRedaction.redact(body, ALL);
		assertThat(result.body()).isSameAs(body);
		assertThat(result.changed()).isFalse();
	}

	@Test
	void rewritesOnlyTheStringValuesThatHoldSomethingToMask() {
		String request = """
				{ "model" : "claude-sonnet-4-5",
				  "metadata": {"user_id": "a@example.com"},
				  "system": [ {"type":"text", "text":"Owner: ann@example.com", "cache_control":{"type":"ephemeral"}} ],
				  "messages": [
				    {"role":"user","content":"my card is 4111 1111 1111 1111"},
				    {"role":"assistant","content":[
				      {"type":"thinking","thinking":"bob@example.com is in the text","signature":"sig+bob@example.com"},
				      {"type":"text","text":"Noted."},
				      {"type":"tool_use","id":"toolu_1","name":"send_mail","input":{"to":["bob@example.com"],"n":3,"bob@example.com":true}}]},
				    {"role":"user","content":[
				      {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sent to bob@example.com"}]},
				      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"bob@example.com"}},
				      {"type":"document","source":{"type":"url","url":"https://x.test/?m=bob@example.com"},"title":"For bob@example.com"},
				      {"type":"text","text":"thanks \\u2014 Bob"}]}
				  ] }""";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		String expected = request.replace("\"Owner: ann@example.com\"", "\"Owner: a**@ex***le.com\"")
			.replace("\"my card is 4111 1111 1111 1111\"", "\"my card is 41** **** **** ***1\"")
			.replace("\"to\":[\"bob@example.com\"]", "\"to\":[\"b**@ex***le.com\"]")
			.replace("\"sent to bob@example.com\"", "\"sent to b**@ex***le.com\"")
			.replace("\"For bob@example.com\"", "\"For b**@ex***le.com\"");
		assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
		assertThat(result.tally().count(PiiType.EMAIL)).isEqualTo(4);
		assertThat(result.tally().count(PiiType.CREDIT_CARD)).isEqualTo(1);
	}

	@Test
	void reencodesAMaskedStringThatHadEscapes() {
		String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"line\\nmail: jo\\u0040example.com \\\"quoted\\\"\"}]}";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo(
				"{\"messages\":[{\"role\":\"user\",\"content\":\"line\\nmail: j*@ex***le.com \\\"quoted\\\"\"}]}");
	}

	@Test
	void keepsMultiByteTextAroundAMask() {
		String request = "{\"system\":\"Überprüfe 📧 jo@example.com für Jörg\",\"messages\":[]}";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8))
			.isEqualTo("{\"system\":\"Überprüfe 📧 j*@ex***le.com für Jörg\",\"messages\":[]}");
	}

	@Test
	void replacesOnlyTheBytesOfTheMaskedValueInsideALongerString() {
		// escapes, non-ASCII and an escaped non-ASCII character before and after the
		// value
		// stay exactly as sent: only the value's own bytes change
		String request = "{\"messages\":[{\"role\":\"user\",\"content\":"
				+ "\"caf\\u00e9 \\/ \u00fcber\\n\\t mail jo@example.com \\u2014 \ud83d\ude00 \\\"q\\\" 4111 1111 1111 1111!\"}]}";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8))
			.isEqualTo(request.replace("jo@example.com", "j*@ex***le.com")
				.replace("4111 1111 1111 1111", "41** **** **** ***1"));
		assertThat(result.tally().toString()).isEqualTo("email=1,credit_card=1");
	}

	@Test
	void masksAValueWrittenWithEscapesAndKeepsTheBytesAroundIt() {
		String request = "{\"system\":\"\u00dcber: jo\\u0040example.com\\u00e9 und \\ud83d\\ude00\",\"messages\":[]}";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8))
			.isEqualTo("{\"system\":\"\u00dcber: j*@ex***le.com\\u00e9 und \\ud83d\\ude00\",\"messages\":[]}");
	}

	@Test
	void masksTheSameWayInEveryStringOfARequest() {
		String request = """
				{"system":"Owner a@example.com","messages":[
				  {"role":"user","content":"from a@example.com"},
				  {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"q":"a@example.com"}}]}]}""";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8))
			.isEqualTo(request.replace("a@example.com", "a@ex***le.com"));
		assertThat(result.tally().count(PiiType.EMAIL)).isEqualTo(3);
	}

	@Test
	void masksLongStringsThatOutgrowTheBuffers() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 3000; i++) {
			text.append("line ").append(i).append(" \\n");
		}
		String wide = text + "\u00e9\u4e2d\ud83d\ude00 jo@example.com";
		for (String content : List.of(text + "jo@example.com", wide)) {
			String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
			RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
			assertThat(new String(result.body(), StandardCharsets.UTF_8))
				.isEqualTo(request.replace("jo@example.com", "j*@ex***le.com"));
		}
	}

	@Test
	void masksPlainTextDocumentsButNeverBytesOrAddresses() {
		String request = """
				{"messages":[{"role":"user","content":[
				  {"type":"document","source":{"data":"Owner ann@example.com","media_type":"text/plain","type":"text"},"title":"t"},
				  {"type":"document","source":{"type":"content","content":[{"type":"text","text":"call ann@example.com"}]}},
				  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"ann@example.com"}},
				  {"type":"image","source":{"type":"url","url":"https://x.test/ann@example.com"}},
				  {"type":"text","text":"and ann@example.com"}]}]}""";
		RequestRedaction.Result result = RequestRedaction.redact(bytes(request), ALL);
		assertThat(new String(result.body(), StandardCharsets.UTF_8))
			.isEqualTo(request.replace("\"Owner ann@example.com\"", "\"Owner a**@ex***le.com\"")
				.replace("\"call ann@example.com\"", "\"call a**@ex***le.com\"")
				.replace("\"and ann@example.com\"", "\"and a**@ex***le.com\""));
		assertThat(result.tally().count(PiiType.EMAIL)).isEqualTo(3);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
