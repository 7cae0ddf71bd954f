package io.tollgate.billing.alerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.alerts.internal.AlertOutbox;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delivery queued by a node that stopped before sending it is sent by the next node
 * started on the same database.
 */
class AlertOutboxRestartTests {

	@Test
	void aPendingDeliveryIsSentAfterARestart() throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-alerts-restart");
		String bootstrap = new ClassPathResource("bootstrap-test.yml").getFile().getPath();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			String eventId;
			try (ConfigurableApplicationContext first = start(dataDir, bootstrap, false)) {
				Alerts alerts = first.getBean(Alerts.class);
				EndpointSecret endpoint = alerts.createEndpoint(null, "ops", receiver.url(), "tester").block();
				long id = first.getBean(AlertOutbox.class)
					.enqueue(endpoint.endpoint().id(), null, "test", null, Map.of("before", "restart"))
					.block();
				eventId = alerts.deliveries(null, 10)
					.block()
					.stream()
					.filter((d) -> d.id() == id)
					.findFirst()
					.orElseThrow()
					.eventId();
			}
			assertThat(receiver.received).isEmpty();

			try (ConfigurableApplicationContext second = start(dataDir, bootstrap, true)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received.isEmpty());
				assertThat(receiver.received).hasSize(1);
				assertThat(receiver.received.get(0).header(WebhookSignature.ID_HEADER)).isEqualTo(eventId);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> second.getBean(Alerts.class)
						.deliveries(null, 10)
						.block()
						.stream()
						.allMatch((d) -> d.status().equals("delivered")));
			}
		}
	}

	private static ConfigurableApplicationContext start(Path dataDir, String bootstrap, boolean delivering) {
		return new SpringApplicationBuilder(BillingTestApplication.class)
			.properties(Map.of("tollgate.data-dir", dataDir.toString(), "tollgate.bootstrap-file", bootstrap,
					"tollgate.alerts.enabled", Boolean.toString(delivering), "tollgate.alerts.poll-interval", "100ms"))
			.run();
	}

}
