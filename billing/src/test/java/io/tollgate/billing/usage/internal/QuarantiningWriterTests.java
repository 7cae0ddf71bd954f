package io.tollgate.billing.usage.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageQuarantine;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.UncategorizedR2dbcException;

import static org.assertj.core.api.Assertions.assertThat;

/** Isolating a poison record, without a database: the writer and quarantine are fakes. */
class QuarantiningWriterTests {

	@Test
	void dataErrorsAreTheDataClassesAndRecordsThatCannotBeBound() {
		assertThat(DataErrors.isDataError(wrapped(new R2dbcNonTransientResourceException("value too long", "22001"))))
			.isTrue();
		assertThat(DataErrors
			.isDataError(wrapped(new R2dbcNonTransientResourceException("invalid byte sequence", "22021")))).isTrue();
		assertThat(DataErrors.isDataError(new DataIntegrityViolationException("not null",
				new R2dbcDataIntegrityViolationException("null value", "23502"))))
			.isTrue();
		assertThat(DataErrors.isDataError(new IllegalArgumentException("value must not be null"))).isTrue();
	}

	@Test
	void connectionAndOtherDatabaseErrorsAreTransient() {
		assertThat(DataErrors.isDataError(new DataAccessResourceFailureException("connection refused",
				new R2dbcNonTransientResourceException("connection refused"))))
			.isFalse();
		assertThat(DataErrors.isDataError(wrapped(new R2dbcNonTransientResourceException("terminated", "08006"))))
			.isFalse();
		assertThat(DataErrors.isDataError(wrapped(new R2dbcTransientResourceException("deadlock", "40P01")))).isFalse();
		assertThat(DataErrors.isDataError(new java.io.UncheckedIOException(new java.io.IOException("reset"))))
			.isFalse();
		assertThat(DataErrors.isDataError(new java.util.concurrent.TimeoutException())).isFalse();
	}

	@Test
	void writesTheRestOfTheBatchAndQuarantinesOnlyThePoisonRecord() {
		FakeWriter writer = new FakeWriter("req_poison", false);
		FakeQuarantine quarantine = new FakeQuarantine();
		List<UsageEvent> batch = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			batch.add(event((i == 5) ? "req_poison" : "req_" + i));
		}
		new QuarantiningWriter(writer, quarantine).write(batch).as(StepVerifier::create).verifyComplete();
		assertThat(writer.written).extracting(UsageEvent::requestId)
			.containsExactlyInAnyOrder("req_0", "req_1", "req_2", "req_3", "req_4", "req_6", "req_7", "req_8");
		assertThat(quarantine.kept).containsExactly("req_poison");
		assertThat(quarantine.reasons).singleElement().asString().contains("22001");
	}

	@Test
	void aTransientFailureFailsTheWriteForARetryAndQuarantinesNothing() {
		FakeWriter writer = new FakeWriter("req_poison", true);
		FakeQuarantine quarantine = new FakeQuarantine();
		new QuarantiningWriter(writer, quarantine).write(List.of(event("req_1"), event("req_poison")))
			.as(StepVerifier::create)
			.verifyError(DataAccessResourceFailureException.class);
		assertThat(quarantine.kept).isEmpty();
	}

	private static UncategorizedR2dbcException wrapped(R2dbcException cause) {
		return new UncategorizedR2dbcException("write", "INSERT", cause);
	}

	static UsageEvent event(String id) {
		return new UsageEvent(id, 1, 2, 3, null, "claude-x", "claude-sonnet-4-5", false,
				new TokenCounts(10, 20, 0, 0, 0), false, Outcome.OK, 200, Instant.parse("2026-01-01T00:00:00Z"), 10,
				null, BillingMode.BALANCE, BigDecimal.ONE);
	}

	/** Fails every batch holding the poison record, as the database would. */
	static final class FakeWriter extends UsageWriter {

		final List<UsageEvent> written = new ArrayList<>();

		private final String poison;

		private final boolean transientFailure;

		FakeWriter(String poison, boolean transientFailure) {
			super(null, null, null);
			this.poison = poison;
			this.transientFailure = transientFailure;
		}

		@Override
		public Mono<Void> write(List<UsageEvent> batch) {
			if (batch.stream().anyMatch((event) -> event.requestId().equals(this.poison))) {
				return Mono.error(this.transientFailure
						? new DataAccessResourceFailureException("connection lost",
								new R2dbcNonTransientResourceException("connection lost", "08006"))
						: wrapped(new R2dbcNonTransientResourceException(
								"value too long for type character varying(200)", "22001")));
			}
			return Mono.fromRunnable(() -> this.written.addAll(batch));
		}

	}

	static final class FakeQuarantine extends UsageQuarantine {

		final List<String> kept = new ArrayList<>();

		final List<String> reasons = new ArrayList<>();

		FakeQuarantine() {
			super(null, new SimpleMeterRegistry());
		}

		@Override
		public Mono<Void> rejected(UsageEvent event, String eventJson, String reason) {
			return Mono.fromRunnable(() -> {
				this.kept.add(event.requestId());
				this.reasons.add(reason);
			});
		}

	}

}
