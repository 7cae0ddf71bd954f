package io.tollgate.gateway.models;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.models.ModelInfo;
import com.anthropic.models.models.ModelListPage;
import com.anthropic.models.models.ModelListParams;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code GET /v1/models} as the official SDK reads it: what the key's group can serve,
 * paged.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ModelsEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	@LocalServerPort
	int port;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@BeforeEach
	void connect() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private AnthropicClient client(String key) {
		return AnthropicOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.apiKey(key)
			.maxRetries(0)
			.build();
	}

	@Test
	void listsTheModelsTheGroupCanServeAndPagesThroughThem() {
		AnthropicClient client = client(GatewayTestSupport.KEY);
		try {
			ModelListPage page = client.models().list();
			assertThat(page.data()).extracting(ModelInfo::id).containsExactly("claude-sonnet-4-5", "exact-model");
			assertThat(page.hasMore()).contains(false);
			assertThat(page.data().get(0).displayName()).isEqualTo("claude-sonnet-4-5");
			assertThat(page.data().get(0).createdAt()).isNotNull();

			ModelListPage first = client.models().list(ModelListParams.builder().limit(1).build());
			assertThat(first.data()).extracting(ModelInfo::id).containsExactly("claude-sonnet-4-5");
			assertThat(first.hasMore()).contains(true);
			assertThat(first.firstId()).contains("claude-sonnet-4-5");
			assertThat(first.lastId()).contains("claude-sonnet-4-5");
			List<String> all = new ArrayList<>();
			first.autoPager().forEach((model) -> all.add(model.id()));
			assertThat(all).containsExactly("claude-sonnet-4-5", "exact-model");

			assertThat(client.models().retrieve("exact-model").id()).isEqualTo("exact-model");
			assertThatExceptionOfType(NotFoundException.class)
				.isThrownBy(() -> client.models().retrieve("claude-opus-unknown-x"));
		}
		finally {
			client.close();
		}
	}

	@Test
	void pagesBackwardsWithBeforeId() {
		this.http.get()
			.uri("/v1/models?limit=1&before_id=exact-model")
			.header("x-api-key", GatewayTestSupport.KEY)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data[0].type")
			.isEqualTo("model")
			.jsonPath("$.data[0].id")
			.isEqualTo("claude-sonnet-4-5")
			.jsonPath("$.data.length()")
			.isEqualTo(1)
			.jsonPath("$.has_more")
			.isEqualTo(false)
			.jsonPath("$.first_id")
			.isEqualTo("claude-sonnet-4-5");
		this.http.get()
			.uri("/v1/models?after_id=exact-model")
			.header("x-api-key", GatewayTestSupport.KEY)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(0)
			.jsonPath("$.first_id")
			.isEmpty();
	}

	@Test
	void refusesABadLimitAndAMissingKey() {
		this.http.get()
			.uri("/v1/models?limit=0")
			.header("x-api-key", GatewayTestSupport.KEY)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error");
		this.http.get()
			.uri("/v1/models/unknown-model")
			.header("x-api-key", GatewayTestSupport.KEY)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("error")
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
		AnthropicClient client = client("tg-not-a-key-000000000000000000000000000");
		try {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> client.models().list());
		}
		finally {
			client.close();
		}
	}

	@Test
	void listsNoNameTheGroupsRulesDoNotAccept() {
		// the gpt group's only rule is the glob claude-* -> gpt-4o-mini: no exact name to
		// list, and its target is not a name the rule accepts
		this.http.get()
			.uri("/v1/models")
			.header("x-api-key", GatewayTestSupport.OPENAI_KEY)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data[*].id")
			.isEqualTo(List.of());
	}

}
