package io.tollgate.routing.route;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionKeysTests {

	private static final byte[] OPENING = "{\"role\":\"user\",\"content\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void readsTheSessionOfTheJsonUserIdCurrentClaudeCodeSends() {
		String userId = "{\"device_id\":\"d1\",\"account_uuid\":\"\",\"session_id\":\"5b7c2f0e-1111-4222-8333-944455556666\"}";
		assertThat(SessionKeys.derive(userId, "header-session", 1, OPENING))
			.isEqualTo("s:5b7c2f0e-1111-4222-8333-944455556666");
	}

	@Test
	void readsTheSessionOfTheOlderUserIdForm() {
		String userId = "user_abc123_account_def456_session_0f9e8d7c-6b5a-4321-9876-abcdefabcdef";
		assertThat(SessionKeys.derive(userId, null, 1, OPENING)).isEqualTo("s:0f9e8d7c-6b5a-4321-9876-abcdefabcdef");
	}

	@Test
	void fallsBackToTheSessionHeaderWhenTheUserIdNamesNoSession() {
		assertThat(SessionKeys.derive("plain-user", " abc ", 1, OPENING)).isEqualTo("h:abc");
		assertThat(SessionKeys.derive("{\"device_id\":\"d1\"}", "abc", 1, OPENING)).isEqualTo("h:abc");
		assertThat(SessionKeys.derive("{not json", "abc", 1, OPENING)).isEqualTo("h:abc");
	}

	@Test
	void hashesTheKeyAndTheOpeningOtherwise() {
		String first = SessionKeys.derive(null, null, 1, OPENING);
		assertThat(first).startsWith("c:").hasSize(2 + 32);
		assertThat(SessionKeys.derive(null, "", 1, OPENING.clone())).isEqualTo(first);
		assertThat(SessionKeys.derive(null, null, 2, OPENING)).isNotEqualTo(first);
		assertThat(SessionKeys.derive(null, null, 1,
				"{\"role\":\"user\",\"content\":\"ho\"}".getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(first);
	}

	@Test
	void givesNoKeyWithoutAnythingToGoOn() {
		assertThat(SessionKeys.derive(null, null, 1, null)).isNull();
		assertThat(SessionKeys.derive(null, null, 1, new byte[0])).isNull();
	}

}
