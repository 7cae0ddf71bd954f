package io.tollgate.billing.alerts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.alerts.internal.AlertDispatcher;
import io.tollgate.billing.alerts.internal.AlertEvaluator;
import io.tollgate.billing.alerts.internal.AlertOutbox;
import io.tollgate.billing.alerts.internal.WebhookTargets;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.health.AccountHealthChange;
import io.tollgate.billing.health.AccountHealthListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts against a real database, with a local receiver: signatures, retries with
 * backoff, rotation, rules. The worker's schedule is off; tests drive it. Run on H2 and
 * on PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = BillingTestApplication.class)
abstract class AlertsContract {

	@Autowired
	Alerts alerts;

	@Autowired
	AlertDispatcher dispatcher;

	@Autowired
	AlertEvaluator evaluator;

	@Autowired
	AccountHealthListener accountHealth;

	@Autowired
	DatabaseClient db;

	@Autowired
	CredentialCipher cipher;

	@Autowired
	AlertOutbox outbox;

	@Autowired
	AlertProperties properties;

	final WebhookReceiver receiver = newReceiver();

	static void commonProperties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-alerts-test");
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.bootstrap-file", () -> {
			try {
				return new ClassPathResource("bootstrap-test.yml").getFile().getPath();
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		registry.add("tollgate.alerts.enabled", () -> "false");
		registry.add("tollgate.alerts.initial-backoff", () -> "300ms");
		registry.add("tollgate.alerts.max-backoff", () -> "5s");
		registry.add("tollgate.alerts.max-attempts", () -> "3");
		// tenants' endpoints may reach the local receiver, as on an on-prem install
		registry.add("tollgate.alerts.tenant-webhooks.allow-http", () -> "true");
		registry.add("tollgate.alerts.tenant-webhooks.allowed-hosts", () -> "127.0.0.1");
	}

	private static WebhookReceiver newReceiver() {
		try {
			return new WebhookReceiver();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@AfterEach
	void closeReceiver() {
		this.receiver.close();
	}

	@Test
	void deliversATestEventSignedWithTheEndpointSecret() throws Exception {
		EndpointSecret endpoint = this.alerts.createEndpoint(null, "ops", this.receiver.url(), "tester").block();
		AlertDelivery queued = this.alerts.sendTest(endpoint.endpoint().id(), "tester").block();

		AlertDelivery delivered = awaitStatus(queued.id(), "delivered");
		assertThat(this.receiver.received).hasSize(1);
		WebhookReceiver.Received request = this.receiver.received.get(0);
		String timestamp = request.header(WebhookSignature.TIMESTAMP_HEADER);
		assertThat(request.header(WebhookSignature.SIGNATURE_HEADER))
			.isEqualTo("v1=" + hmac(endpoint.secret(), timestamp, request.body()));
		assertThat(Long.parseLong(timestamp)).isCloseTo(Instant.now().getEpochSecond(),
				org.assertj.core.data.Offset.offset(60L));
		assertThat(request.header(WebhookSignature.ID_HEADER)).isEqualTo(queued.eventId());
		assertThat(new String(request.body(), StandardCharsets.UTF_8)).contains("\"type\":\"test\"")
			.contains(queued.eventId());
		assertThat(delivered.attempts()).isEqualTo(1);
		assertThat(delivered.lastStatus()).isEqualTo(200);
		assertThat(endpoint.secret()).startsWith("whsec_");
	}

	@Test
	void retriesAFailedDeliveryWithExponentialBackoffUntilItIsTaken() {
		this.receiver.failWith(500, 503);
		EndpointSecret endpoint = this.alerts.createEndpoint(null, "flaky", this.receiver.url(), "tester").block();
		AlertDelivery queued = this.alerts.sendTest(endpoint.endpoint().id(), "tester").block();

		AlertDelivery delivered = awaitStatus(queued.id(), "delivered");
		assertThat(delivered.attempts()).isEqualTo(3);
		List<WebhookReceiver.Received> got = this.receiver.received;
		assertThat(got).extracting(WebhookReceiver.Received::answeredWith).containsExactly(500, 503, 200);
		assertThat(got).extracting((r) -> r.header(WebhookSignature.ID_HEADER)).containsOnly(queued.eventId());
		// the second attempt waited at least the initial backoff, the third twice that
		assertThat(Duration.ofNanos(got.get(1).atNanos() - got.get(0).atNanos()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(Duration.ofNanos(got.get(2).atNanos() - got.get(1).atNanos()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(600));
		for (WebhookReceiver.Received request : got) {
			assertThat(request.header(WebhookSignature.SIGNATURE_HEADER)).isEqualTo(
					"v1=" + hmac(endpoint.secret(), request.header(WebhookSignature.TIMESTAMP_HEADER), request.body()));
		}
	}

	@Test
	void marksADeliveryFailedWhenItsAttemptsAreUsedUp() {
		this.receiver.failWith(500, 500, 500, 500);
		EndpointSecret endpoint = this.alerts.createEndpoint(null, "down", this.receiver.url(), "tester").block();
		AlertDelivery queued = this.alerts.sendTest(endpoint.endpoint().id(), "tester").block();

		AlertDelivery failed = awaitStatus(queued.id(), "failed");
		assertThat(failed.attempts()).isEqualTo(3);
		assertThat(failed.lastStatus()).isEqualTo(500);
		assertThat(failed.lastError()).isEqualTo("HTTP 500");
		assertThat(this.receiver.received).hasSize(3);
	}

	@Test
	void aRotatedEndpointIsSignedWithBothSecretsDuringTheOverlap() {
		EndpointSecret first = this.alerts.createEndpoint(null, "rotating", this.receiver.url(), "tester").block();
		EndpointSecret second = this.alerts.rotateSecret(first.endpoint().id(), "tester").block();
		assertThat(second.secret()).isNotEqualTo(first.secret());
		assertThat(second.endpoint().previousSecretUntil()).isAfter(Instant.now().plus(Duration.ofHours(23)));

		AlertDelivery queued = this.alerts.sendTest(first.endpoint().id(), "tester").block();
		awaitStatus(queued.id(), "delivered");
		WebhookReceiver.Received request = this.receiver.received.get(0);
		String timestamp = request.header(WebhookSignature.TIMESTAMP_HEADER);
		assertThat(request.header(WebhookSignature.SIGNATURE_HEADER))
			.isEqualTo("v1=" + hmac(second.secret(), timestamp, request.body()) + ",v1="
					+ hmac(first.secret(), timestamp, request.body()));
	}

	@Test
	void aLowBalanceFiresOnceAndAgainOnlyAfterItCleared() {
		long acme = tenantId("acme");
		long other = this.db.sql("INSERT INTO tenant (name, balance) VALUES ('other-" + System.nanoTime() + "', 1)")
			.filter((s) -> s.returnGeneratedValues("id"))
			.map((row) -> ((Number) row.get("id")).longValue())
			.one()
			.block();
		setBalance(acme, "5");
		EndpointSecret operator = this.alerts.createEndpoint(null, "finance", this.receiver.url(), "tester").block();
		EndpointSecret tenants = this.alerts.createEndpoint(acme, "acme's own", this.receiver.url(), "tester").block();
		this.alerts
			.createRule(new Alerts.NewRule(null, operator.endpoint().id(), "balance_below", new BigDecimal("8"),
					"absolute"), "tester")
			.block();
		this.alerts
			.createRule(
					new Alerts.NewRule(acme, tenants.endpoint().id(), "balance_below", new BigDecimal("8"), "absolute"),
					"tester")
			.block();

		this.evaluator.evaluate().block();
		this.evaluator.evaluate().block();
		// operator-wide: both tenants below 8; acme's own rule: only acme
		assertThat(types(operator)).containsExactly("tenant.balance_below", "tenant.balance_below");
		assertThat(tenantsOf(operator)).containsExactlyInAnyOrder(acme, other);
		assertThat(tenantsOf(tenants)).containsExactly(acme);

		setBalance(acme, "100");
		this.evaluator.evaluate().block();
		assertThat(tenantsOf(tenants)).hasSize(1);
		setBalance(acme, "2");
		this.evaluator.evaluate().block();
		assertThat(tenantsOf(tenants)).containsExactly(acme, acme);
		assertThat(this.alerts.deliveries(tenants.endpoint().id(), 10).block().get(0).payload())
			.contains("\"balance\":\"2\"");
	}

	@Test
	void aTenantRuleCannotWatchAccountsOrPostToAnotherEndpoint() {
		long acme = tenantId("acme");
		EndpointSecret operator = this.alerts.createEndpoint(null, "ops-only", this.receiver.url(), "tester").block();
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.alerts
				.createRule(new Alerts.NewRule(acme, operator.endpoint().id(), "account_health", null, null), "tester"))
			.hasMessageContaining("operator-wide");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.alerts
			.createRule(new Alerts.NewRule(acme, operator.endpoint().id(), "balance_below", BigDecimal.ONE, null),
					"tester")
			.block()).hasMessageContaining("that tenant's endpoints");
	}

	@Test
	void anAccountHealthChangeBecomesADelivery() {
		EndpointSecret endpoint = this.alerts.createEndpoint(null, "accounts", this.receiver.url(), "tester").block();
		this.alerts
			.createRule(new Alerts.NewRule(null, endpoint.endpoint().id(), "account_health", null, null), "tester")
			.block();
		this.accountHealth.changed(new AccountHealthChange(1, AccountHealthChange.Kind.BREAKER_OPEN, null, "HTTP 502"));

		await().atMost(Duration.ofSeconds(20)).until(() -> !types(endpoint).isEmpty());
		AlertDelivery delivery = this.alerts.deliveries(endpoint.endpoint().id(), 10).block().get(0);
		assertThat(delivery.eventType()).isEqualTo("account.breaker_open");
		assertThat(delivery.payload()).contains("\"account_name\":\"primary\"").contains("\"last_error\":\"HTTP 502\"");
	}

	@Test
	void aTenantsDeliveryToAnInternalTargetIsRecordedFailedAndNeverSent() {
		long acme = tenantId("acme");
		// saved before the rules changed, or by hand: the delivery checks again
		long endpoint = insertEndpoint(acme, this.receiver.url().replace("127.0.0.1", "localhost"));
		AlertDelivery queued = this.alerts.sendTest(endpoint, "tester").block();

		AlertDelivery refused = awaitStatus(queued.id(), "failed");
		assertThat(refused.attempts()).isZero();
		assertThat(refused.lastStatus()).isNull();
		assertThat(refused.lastError()).isEqualTo("Refused, not sent: localhost is a loopback name");
		assertThat(this.receiver.received).isEmpty();
	}

	@Test
	void aTenantsEndpointIsCheckedWhenItIsSaved() {
		long acme = tenantId("acme");
		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> this.alerts.createEndpoint(acme, "meta", "https://169.254.169.254/", "tester").block())
			.hasMessage("Webhook URL refused: 169.254.169.254, a link-local address");
		EndpointSecret saved = this.alerts.createEndpoint(acme, "ok", this.receiver.url(), "tester").block();
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.alerts
				.updateEndpoint(saved.endpoint().id(), "ok", "https://[::ffff:10.0.0.1]/", "tester")
				.block())
			.hasMessageContaining("10.0.0.1, a private address");
		// operator endpoints keep their freedom
		assertThat(this.alerts.createEndpoint(null, "ops", "http://localhost:9/hook", "tester").block()).isNotNull();
	}

	@Test
	void aRedirectIsNotFollowed() {
		this.receiver.failWith(302, 302, 302);
		EndpointSecret endpoint = this.alerts.createEndpoint(tenantId("acme"), "moved", this.receiver.url(), "tester")
			.block();
		AlertDelivery failed = awaitStatus(this.alerts.sendTest(endpoint.endpoint().id(), "tester").block().id(),
				"failed");
		assertThat(failed.lastStatus()).isEqualTo(302);
		assertThat(failed.lastError()).isEqualTo("HTTP 302 (redirects are not followed)");
		assertThat(this.receiver.received).hasSize(3);
	}

	@Test
	void aNameIsResolvedAndCheckedAgainEachTimeADeliveryConnects() throws Exception {
		long endpoint = insertEndpoint(tenantId("acme"), this.receiver.url().replace("127.0.0.1", "rebind.test"));
		// the name points at the (allowed) receiver first, then inside
		Queue<String> answers = new ConcurrentLinkedQueue<>(List.of("127.0.0.1"));
		WebhookTargets targets = new WebhookTargets(this.properties.tenantWebhooks(),
				(host) -> host.equals("rebind.test")
						? new InetAddress[] {
								InetAddress.getByName(Objects.requireNonNullElse(answers.poll(), "10.0.0.7")) }
						: InetAddress.getAllByName(host));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AlertDispatcher own = new AlertDispatcher(this.outbox, this.cipher, this.properties, targets, meters)) {
			AlertDelivery first = awaitStatus(own, this.alerts.sendTest(endpoint, "tester").block().id(), "delivered");
			assertThat(first.attempts()).isOne();
			AlertDelivery second = awaitStatus(own, this.alerts.sendTest(endpoint, "tester").block().id(), "failed");
			assertThat(second.attempts()).isZero();
			assertThat(second.lastError())
				.isEqualTo("Refused, not sent: rebind.test resolves to 10.0.0.7, a private address");
		}
		assertThat(this.receiver.received).hasSize(1);
		assertThat(meters.counter("tollgate.alerts.deliveries", "outcome", "delivered", "scope", "tenant").count())
			.isOne();
		assertThat(meters.counter("tollgate.alerts.deliveries", "outcome", "refused", "scope", "tenant").count())
			.isOne();
	}

	long insertEndpoint(long tenantId, String url) {
		return this.db
			.sql("INSERT INTO alert_endpoint (tenant_id, name, url, secret_enc) VALUES (:tenant, 'raw', :url, :secret)")
			.filter((s) -> s.returnGeneratedValues("id"))
			.bind("tenant", tenantId)
			.bind("url", url)
			.bind("secret", this.cipher.encrypt("whsec_test"))
			.map((row) -> ((Number) row.get("id")).longValue())
			.one()
			.block();
	}

	AlertDelivery awaitStatus(long id, String status) {
		return awaitStatus(this.dispatcher, id, status);
	}

	AlertDelivery awaitStatus(AlertDispatcher worker, long id, String status) {
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			worker.dispatchDue().block();
			return this.alerts.deliveries(null, 500)
				.block()
				.stream()
				.filter((d) -> d.id() == id)
				.findFirst()
				.orElseThrow();
		}, (delivery) -> delivery.status().equals(status));
	}

	private List<String> types(EndpointSecret endpoint) {
		return this.alerts.deliveries(endpoint.endpoint().id(), 100)
			.block()
			.stream()
			.map(AlertDelivery::eventType)
			.toList();
	}

	private List<Long> tenantsOf(EndpointSecret endpoint) {
		return this.alerts.deliveries(endpoint.endpoint().id(), 100)
			.block()
			.stream()
			.map(AlertDelivery::tenantId)
			.toList();
	}

	long tenantId(String name) {
		return this.db.sql("SELECT id FROM tenant WHERE name = :name")
			.bind("name", name)
			.map((row) -> row.get("id", Long.class))
			.one()
			.block();
	}

	private void setBalance(long tenantId, String balance) {
		this.db.sql("UPDATE tenant SET balance = :balance WHERE id = :id")
			.bind("balance", new BigDecimal(balance))
			.bind("id", tenantId)
			.then()
			.block();
	}

	/**
	 * The signature, computed here from the algorithm's definition, not by the code under
	 * test.
	 */
	static String hmac(String secret, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] signed = (timestamp + "." + new String(body, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8);
			return HexFormat.of().formatHex(mac.doFinal(signed));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
