package io.tollgate.admin.portal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.admin.config.ConsoleEnabled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The portal's meters: {@code tollgate.portal.logins} by outcome ({@code success},
 * {@code failure}, {@code locked}) and {@code tollgate.portal.redemptions} by outcome
 * ({@code credited}, {@code refused}). Without a registry (the console alone in tests)
 * they count in a private one.
 */
@Component
@ConsoleEnabled
public class PortalMetrics {

	private final MeterRegistry registry;

	PortalMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
	}

	MeterRegistry registry() {
		return this.registry;
	}

	/** Counts a login attempt: {@code success}, {@code failure} or {@code locked}. */
	public void login(String outcome) {
		this.registry.counter("tollgate.portal.logins", "outcome", outcome).increment();
	}

	/** Counts a redemption attempt. */
	public void redemption(boolean credited) {
		this.registry.counter("tollgate.portal.redemptions", "outcome", credited ? "credited" : "refused").increment();
	}

}
