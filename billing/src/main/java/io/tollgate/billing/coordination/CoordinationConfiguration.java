package io.tollgate.billing.coordination;

import io.tollgate.billing.coordination.internal.LocalBindings;
import io.tollgate.billing.coordination.internal.LocalCounters;
import io.tollgate.billing.coordination.internal.LocalPermits;
import io.tollgate.billing.coordination.internal.LocalRateLimits;
import io.tollgate.billing.coordination.internal.RedisBindings;
import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.coordination.internal.RedisCounters;
import io.tollgate.billing.coordination.internal.RedisPermits;
import io.tollgate.billing.coordination.internal.RedisRateLimits;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shared state: in this process by default, in Redis when {@code tollgate.redis.url} is
 * set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CoordinationProperties.class)
public class CoordinationConfiguration {

	@Bean(destroyMethod = "close")
	public Shared shared(CoordinationProperties properties) {
		return properties.shared() ? new Shared(new RedisConnections(properties.url(), properties.prefix()))
				: new Shared(null);
	}

	@Bean
	Permits permits(Shared shared, CoordinationProperties properties) {
		return (shared.redis() != null) ? new RedisPermits(shared.redis(), properties.permitLease())
				: new LocalPermits();
	}

	@Bean
	RateLimits rateLimits(Shared shared) {
		return (shared.redis() != null) ? new RedisRateLimits(shared.redis()) : new LocalRateLimits();
	}

	@Bean
	Counters counters(Shared shared) {
		return (shared.redis() != null) ? new RedisCounters(shared.redis()) : new LocalCounters();
	}

	@Bean
	Bindings bindings(Shared shared) {
		return (shared.redis() != null) ? new RedisBindings(shared.redis()) : new LocalBindings();
	}

	/**
	 * The node's Redis connections, if it has any; closed last, after the ports.
	 *
	 * @param redis the connections, or {@code null} in process
	 */
	public record Shared(RedisConnections redis) implements AutoCloseable {

		/**
		 * Whether state is shared through Redis.
		 * @return false in process
		 */
		public boolean clustered() {
			return this.redis != null;
		}

		/**
		 * Asks Redis for a {@code PONG}.
		 * @return Redis's answer; empty in process
		 */
		public Mono<String> ping() {
			return (this.redis != null) ? this.redis.strings().reactive().ping() : Mono.empty();
		}

		@Override
		public void close() {
			if (this.redis != null) {
				this.redis.close();
			}
		}

	}

}
