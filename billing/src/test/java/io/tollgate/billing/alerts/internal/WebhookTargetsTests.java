package io.tollgate.billing.alerts.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.alerts.AlertProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where tenants' webhooks may go: https only, no credentials, no internal address however
 * it is spelled or resolved, except what the operator allows.
 */
class WebhookTargetsTests {

	private static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.215.14", "inside.example.com",
			"10.0.0.5", "metadata.example.com", "169.254.169.254", "v6inside.example.com", "fd00::5", "hooks.corp",
			"10.9.9.9", "onprem.example.com", "10.1.2.3", "elsewhere.example.com", "10.2.0.1");

	private final WebhookTargets strict = targets(false, List.of());

	@ParameterizedTest
	@ValueSource(strings = { "http://hooks.example.com/alerts", "ftp://hooks.example.com/", "hooks.example.com/x",
			"//hooks.example.com/x", "javascript:alert(1)", "file:///etc/passwd" })
	void refusesAnythingButHttps(String url) {
		assertRefused(this.strict, url, "the URL must be https");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://user:secret@hooks.example.com/", "https://user@hooks.example.com/",
			"https://hooks.example.com@127.0.0.1/", "https://:@hooks.example.com/" })
	void refusesCredentialsInTheUrl(String url) {
		assertThatThrownBy(() -> this.strict.check(url)).isInstanceOf(WebhookTargets.Refused.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://127.0.0.1/", "https://127.8.9.10/", "https://10.0.0.1/", "https://172.16.5.4/",
			"https://172.31.255.255/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data/",
			"https://0.0.0.0/", "https://100.64.0.1/", "https://100.127.255.254/", "https://224.0.0.1/",
			"https://239.255.255.250/", "https://255.255.255.255/", "https://[::1]/", "https://[::]/",
			"https://[fc00::1]/", "https://[fd12:3456::1]/", "https://[fe80::1]/", "https://[febf::1]/",
			"https://[ff02::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/",
			"https://[::ffff:a9fe:a9fe]/", "https://[0:0:0:0:0:ffff:10.0.0.1]/", "https://[::ffff:192.168.0.1]/",
			"https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/", "https://[::127.0.0.1]/",
			"https://[fe80::1%25eth0]/" })
	void refusesInternalAddresses(String url) {
		assertThatThrownBy(() -> this.strict.check(url)).isInstanceOf(WebhookTargets.Refused.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://2130706433/", "https://0x7f000001/", "https://0x7F.0.0.1/", "https://0177.0.0.1/",
			"https://0177.0.0.01/", "https://017700000001/", "https://127.1/", "https://127.0.1/", "https://0x7f.1/",
			"https://3232235777/", "https://0xa9fea9fe/", "https://0251.0376.0251.0376/", "https://169.254.43518/",
			"https://0/", "https://127.0.0.1./", "https://010.0.0.1/" })
	void refusesInternalAddressesInDecimalOctalAndHexSpellings(String url) {
		assertThatThrownBy(() -> this.strict.check(url)).isInstanceOf(WebhookTargets.Refused.class);
	}

	@Test
	void readsTheSpellingsAsAUrlParserDoes() {
		assertRefused(this.strict, "https://0177.0.0.1/", "127.0.0.1, a loopback address");
		assertRefused(this.strict, "https://0xa9fea9fe/", "169.254.169.254, a link-local address");
		assertRefused(this.strict, "https://3232235777/", "192.168.1.1, a private address");
		// a public address spelled ambiguously is refused too: parsers disagree on it
		assertRefused(this.strict, "https://134744072/", "write an IPv4 address as four decimal numbers (8.8.8.8)");
		assertRefused(this.strict, "https://1.2.3.4.5/", "not a valid IPv4 address");
		assertRefused(this.strict, "https://256.1.1.1/", "not a valid IPv4 address");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://localhost/", "https://LOCALHOST./", "https://api.localhost/hook" })
	void refusesLoopbackNamesWithoutLookingThemUp(String url) {
		assertRefused(this.strict, url, "loopback name");
	}

	@Test
	void refusesANameThatResolvesInside() {
		assertRefused(this.strict, "https://inside.example.com/hook", "inside.example.com resolves to 10.0.0.5");
		assertRefused(this.strict, "https://metadata.example.com/", "169.254.169.254, a link-local address");
		assertRefused(this.strict, "https://v6inside.example.com/", "a private address");
		assertRefused(this.strict, "https://nowhere.example.com/", "does not resolve");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://hooks.example.com/alerts?x=1", "https://93.184.215.14:8443/hook",
			"https://[2606:4700:4700::1111]/hook", "https://HOOKS.example.com./a" })
	void acceptsPublicHttpsTargets(String url) {
		assertThatCode(() -> this.strict.check(url)).doesNotThrowAnyException();
	}

	@Test
	void theOperatorAllowsHttpAndListedHostsAndRanges() {
		WebhookTargets onPrem = targets(true, List.of("127.0.0.1", "hooks.corp", "10.1.0.0/16", " "));
		assertThatCode(() -> onPrem.check("http://127.0.0.1:8080/hook")).doesNotThrowAnyException();
		assertThatCode(() -> onPrem.check("http://hooks.corp/hook")).doesNotThrowAnyException();
		assertThatCode(() -> onPrem.check("https://onprem.example.com/hook")).doesNotThrowAnyException();
		assertThatCode(() -> onPrem.check("https://[::ffff:127.0.0.1]/hook")).doesNotThrowAnyException();
		assertRefused(onPrem, "https://elsewhere.example.com/", "10.2.0.1, a private address");
		assertRefused(onPrem, "http://127.0.0.2/", "loopback");
		assertRefused(onPrem, "http://localhost/", "loopback name");
		assertRefused(onPrem, "gopher://hooks.corp/", "https or http");
		assertRefused(onPrem, "http://me:pw@127.0.0.1/", "credentials");
	}

	private static void assertRefused(WebhookTargets targets, String url, String reason) {
		assertThatThrownBy(() -> targets.check(url)).as(url)
			.isInstanceOf(WebhookTargets.Refused.class)
			.hasMessageContaining(reason);
	}

	private static WebhookTargets targets(boolean allowHttp, List<String> allowed) {
		return new WebhookTargets(new AlertProperties.TenantWebhooks(allowHttp, allowed), (host) -> {
			String address = DNS.get(host);
			if (address == null) {
				throw new UnknownHostException(host);
			}
			return new InetAddress[] { InetAddress.getByName(address) };
		});
	}

}
