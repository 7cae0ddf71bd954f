package io.tollgate.admin.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HotPathBypassTests {

	@ParameterizedTest
	@ValueSource(strings = { "/v1/messages", "/v1/messages/count_tokens", "/v1/models", "/v1/models/claude-sonnet-4-5",
			"/v1/models/claude-3.5-haiku", "/v1/models/org:model_1" })
	void tenantCallsSkipSecurity(String path) {
		assertThat(HotPathBypass.isTenantPath(path)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/admin", "/admin/tenants", "/api/admin/tenants", "/v1/../admin/tenants",
			"/v1/models/../../admin", "/v1/models/..", "/v1/models/", "/v1/models//admin", "/v1/models/%2e%2e",
			"/v1/messages/../../api/admin/tenants", "/v1/messages;jsessionid=x", "/v1/other", "/v1//messages", "/",
			"/actuator/health" })
	void everythingElseGoesThroughSecurity(String path) {
		assertThat(HotPathBypass.isTenantPath(path)).isFalse();
	}

}
