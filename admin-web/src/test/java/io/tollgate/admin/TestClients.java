package io.tollgate.admin;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Test clients for a running admin plane. Each request gets a connection of its own:
 * several tests answer before reading a request body (401, 403, redirects), after which
 * the server closes that connection, and a pooled client could race to reuse it.
 */
public final class TestClients {

	private TestClients() {
	}

	public static WebTestClient http(int port) {
		return WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

}
