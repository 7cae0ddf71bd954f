package io.tollgate.admin.health;

import java.time.Duration;

import io.tollgate.billing.admin.Account;
import reactor.core.publisher.Mono;

import io.tollgate.admin.config.ConsoleEnabled;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Tests an upstream account's connection by listing its models: {@code GET /v1/models}
 * with {@code x-api-key} on Anthropic, {@code GET /models} with a bearer token on
 * OpenAI-compatible endpoints. The credential is sent only to the account's own base URL.
 */
@Component
@ConsoleEnabled
public class ConnectionTester {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	public ConnectionTester() {
		this.client = WebClient.create();
	}

	/**
	 * The outcome of one test.
	 *
	 * @param ok whether the upstream accepted the credential
	 * @param message what happened, safe to show
	 */
	public record Result(boolean ok, String message) {
	}

	/** Tests the connection. */
	public Mono<Result> test(Account.Connection connection) {
		boolean anthropic = "anthropic".equals(connection.platform());
		String url = connection.baseUrl() + (anthropic ? "/v1/models" : "/models");
		return this.client.get().uri(url).headers((headers) -> {
			if (anthropic) {
				headers.set("x-api-key", connection.credential().reveal());
				headers.set("anthropic-version", "2023-06-01");
			}
			else {
				headers.setBearerAuth(connection.credential().reveal());
			}
		})
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(new Result(response.statusCode().is2xxSuccessful(),
						"GET " + url + " answered HTTP " + response.statusCode().value())))
			.timeout(TIMEOUT)
			.onErrorResume((ex) -> Mono.just(new Result(false, "GET " + url + " failed: "
					+ ((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName()))));
	}

}
