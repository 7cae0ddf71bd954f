package io.tollgate.gateway.messages;

import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.admission.AdmissionRefused;
import io.tollgate.billing.admission.Ticket;

import org.springframework.stereotype.Component;

/**
 * Counts admission decisions that depart from admitting the request as sent:
 * {@code tollgate.admission.decisions} with {@code outcome} {@code clamped},
 * {@code overdraft} or {@code refused}, and {@code reason}: the limit that decided
 * ({@code balance}, {@code quota}, {@code window}) or, for refusals, the refusal reason
 * ({@code no_balance}, {@code quota_spent}, {@code window_spent}, {@code rate_limited},
 * {@code concurrency}, {@code no_subscription}). Tags take only these values.
 */
@Component
public class AdmissionMetrics {

	static final String NAME = "tollgate.admission.decisions";

	private final MeterRegistry registry;

	public AdmissionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void admitted(Ticket ticket) {
		String limit = (ticket.limitedBy() != null) ? ticket.limitedBy() : "none";
		if (ticket.clamped()) {
			counter("clamped", limit).increment();
		}
		if (ticket.overdraft()) {
			counter("overdraft", limit).increment();
		}
	}

	void refused(AdmissionRefused refused) {
		counter("refused", refused.reason().name().toLowerCase(Locale.ROOT)).increment();
	}

	private Counter counter(String outcome, String reason) {
		return Counter.builder(NAME)
			.description("Admission decisions that clamped, overdrew or refused a request")
			.tag("outcome", outcome)
			.tag("reason", reason)
			.register(this.registry);
	}

}
