package io.tollgate.billing.alerts;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.tollgate.billing.alerts.internal.AlertDispatcher;
import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts on PostgreSQL, and two workers sharing one outbox. */
class AlertsPostgresIntegrationTests extends AlertsContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		commonProperties(registry);
		ExternalServices.freshPostgresDatabase().register(registry);
	}

	@Test
	void twoWorkersNeverDeliverTheSameRow() {
		EndpointSecret endpoint = this.alerts.createEndpoint(null, "busy", this.receiver.url(), "tester").block();
		int events = 60;
		Flux.range(0, events)
			.concatMap(
					(i) -> this.outbox.enqueue(endpoint.endpoint().id(), null, "test", null, java.util.Map.of("n", i)))
			.blockLast();
		AlertProperties small = new AlertProperties(false, Duration.ofSeconds(1), Duration.ofMinutes(1), 5, 3,
				Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofMinutes(2),
				Duration.ofHours(1));
		try (AlertDispatcher one = new AlertDispatcher(this.outbox, this.cipher, small);
				AlertDispatcher two = new AlertDispatcher(this.outbox, this.cipher, small)) {
			AtomicInteger attempted = new AtomicInteger();
			// both workers claim in parallel, again and again, until nothing is due
			Flux.just(one, two)
				.parallel(2)
				.runOn(Schedulers.boundedElastic())
				.flatMap((worker) -> worker.dispatchDue()
					.doOnNext(attempted::addAndGet)
					.repeat()
					.takeUntil((count) -> count == 0)
					.then(Mono.just(worker)))
				.sequential()
				.blockLast(Duration.ofSeconds(60));
			List<String> ids = this.receiver.received.stream()
				.map((request) -> request.header(WebhookSignature.ID_HEADER))
				.toList();
			Set<String> distinct = new HashSet<>(ids);
			assertThat(ids).hasSize(events);
			assertThat(distinct).hasSize(events);
			assertThat(attempted.get()).isEqualTo(events);
			assertThat(this.alerts.deliveries(endpoint.endpoint().id(), 100).block())
				.allSatisfy((delivery) -> assertThat(delivery.status()).isEqualTo("delivered"));
		}
	}

}
