package io.tollgate.admin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A console browser session for controller tests: the session cookie and the CSRF token
 * read from the pages, as a browser would.
 */
public final class ConsoleSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final WebTestClient client;

	private String session;

	private String csrf;

	private ConsoleSession(WebTestClient client) {
		this.client = client;
	}

	/** An anonymous session that has loaded the login page. */
	public static ConsoleSession anonymous(WebTestClient client) {
		ConsoleSession console = new ConsoleSession(client);
		console.get("/admin/login");
		return console;
	}

	/**
	 * A session logged in with these credentials; fails if the login does not succeed.
	 */
	public static ConsoleSession login(WebTestClient client, String username, String password) {
		ConsoleSession console = anonymous(client);
		EntityExchangeResult<byte[]> result = console.attemptLogin(username, password);
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/admin");
		console.get("/admin");
		return console;
	}

	/** Posts the login form and returns the response (a redirect). */
	public EntityExchangeResult<byte[]> attemptLogin(String username, String password) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", username);
		form.add("password", password);
		return post("/admin/login", form);
	}

	/** Loads a page, remembering its session cookie and CSRF token. */
	public EntityExchangeResult<String> get(String path) {
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

	/** Posts a form with the CSRF token. */
	public EntityExchangeResult<byte[]> post(String path, MultiValueMap<String, String> form) {
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>(form);
		if (this.csrf != null) {
			body.add("_csrf", this.csrf);
		}
		return postRaw(path, body);
	}

	/** Posts a form exactly as given (no CSRF token added). */
	public EntityExchangeResult<byte[]> postRaw(String path, MultiValueMap<String, String> form) {
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

	/** The status of posting a form with the CSRF token. */
	public HttpStatus postStatus(String path, MultiValueMap<String, String> form) {
		return HttpStatus.valueOf(post(path, form).getStatus().value());
	}

	private void remember(org.springframework.http.ResponseCookie cookie) {
		if (cookie != null) {
			this.session = cookie.getValue();
		}
	}

	public static MultiValueMap<String, String> form(String... pairs) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			form.add(pairs[i], pairs[i + 1]);
		}
		return form;
	}

}
