package io.tollgate.routing.request;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaxTokensRewriteTests {

	@Test
	void replacesOnlyTheTopLevelMaxTokens() {
		String body = "{\"model\":\"m\", \"tools\":[{\"max_tokens\":7}],\n \"max_tokens\" :  32000 ,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"max_tokens\"}],\"z\":{\"max_tokens\":1}}";
		assertThat(rewrite(body, 512)).isEqualTo(body.replace("32000", "512"));
	}

	@Test
	void replacesAMaxTokensThatEndsTheObject() {
		assertThat(rewrite("{\"messages\":[],\"max_tokens\":64000}", 256))
			.isEqualTo("{\"messages\":[],\"max_tokens\":256}");
	}

	@Test
	void leavesABodyWithoutMaxTokensAlone() {
		assertThat(rewrite("{\"messages\":[]}", 256)).isEqualTo("{\"messages\":[]}");
	}

	private static String rewrite(String body, long maxTokens) {
		return new String(MaxTokensRewrite.apply(body.getBytes(StandardCharsets.UTF_8), maxTokens),
				StandardCharsets.UTF_8);
	}

}
