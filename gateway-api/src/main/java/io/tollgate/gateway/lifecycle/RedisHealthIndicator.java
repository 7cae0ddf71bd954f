package io.tollgate.gateway.lifecycle;

import java.time.Duration;

import io.tollgate.billing.coordination.CoordinationConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the Redis a cluster shares state through ({@code redis} in the readiness
 * group): up when it answers a {@code PING} within two seconds; always up in process.
 */
@Component("redisHealthIndicator")
class RedisHealthIndicator implements ReactiveHealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final CoordinationConfiguration.Shared shared;

	RedisHealthIndicator(CoordinationConfiguration.Shared shared) {
		this.shared = shared;
	}

	@Override
	public Mono<Health> health() {
		if (!this.shared.clustered()) {
			return Mono.just(Health.up().withDetail("mode", "in-process").build());
		}
		return this.shared.ping()
			.timeout(TIMEOUT)
			.map((pong) -> Health.up().withDetail("mode", "redis").build())
			.onErrorResume((ex) -> Mono.just(Health.down().withDetail("error", ex.getClass().getSimpleName()).build()));
	}

}
