package io.tollgate.admin.portal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A portal browser session for controller tests: the session cookie and the CSRF token
 * read from the pages, as a browser would.
 */
final class PortalSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final WebTestClient client;

	private String session;

	private String csrf;

	private PortalSession(WebTestClient client) {
		this.client = client;
	}

	static PortalSession anonymous(WebTestClient client) {
		PortalSession portal = new PortalSession(client);
		portal.get("/portal/login");
		return portal;
	}

	static PortalSession login(WebTestClient client, String login, String password) {
		PortalSession portal = anonymous(client);
		EntityExchangeResult<byte[]> result = portal.post("/portal/login",
				form("username", login, "password", password));
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/portal");
		portal.get("/portal");
		return portal;
	}

	String cookie() {
		return this.session;
	}

	EntityExchangeResult<String> get(String path) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path);
		if (this.session != null) {
			request = request.cookie("SESSION", this.session);
		}
		EntityExchangeResult<String> result = request.exchange().expectBody(String.class).returnResult();
		remember(result.getResponseCookies().getFirst("SESSION"));
		if (result.getResponseBody() != null) {
			Matcher matcher = CSRF.matcher(result.getResponseBody());
			if (matcher.find()) {
				this.csrf = matcher.group(1);
			}
		}
		return result;
	}

	EntityExchangeResult<byte[]> post(String path, MultiValueMap<String, String> form) {
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>(form);
		if (this.csrf != null) {
			body.add("_csrf", this.csrf);
		}
		return postRaw(path, body);
	}

	EntityExchangeResult<byte[]> postRaw(String path, MultiValueMap<String, String> form) {
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED);
		if (this.session != null) {
			request = request.cookie("SESSION", this.session);
		}
		EntityExchangeResult<byte[]> result = request.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectBody()
			.returnResult();
		remember(result.getResponseCookies().getFirst("SESSION"));
		return result;
	}

	int status(String path) {
		return get(path).getStatus().value();
	}

	int postStatus(String path, MultiValueMap<String, String> form) {
		return post(path, form).getStatus().value();
	}

	private void remember(ResponseCookie cookie) {
		if (cookie != null) {
			this.session = cookie.getValue();
		}
	}

	static MultiValueMap<String, String> form(String... pairs) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			form.add(pairs[i], pairs[i + 1]);
		}
		return form;
	}

}
