package io.tollgate.billing.admission;

import java.time.Duration;

import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.coordination.internal.RedisCounters;
import io.tollgate.billing.coordination.internal.RedisPermits;
import io.tollgate.billing.coordination.internal.RedisRateLimits;
import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Admission on Redis; the parallel clamp and overdraft tests admit through two nodes'
 * connections: the limits and reservations hold across nodes.
 */
class RedisAdmissionIntegrationTests extends AdmissionContract {

	private static RedisConnections node;

	private static RedisConnections otherNode;

	private static RedisPermits permits;

	@BeforeAll
	static void connect() {
		ExternalServices.Redis redis = ExternalServices.redis();
		node = new RedisConnections(redis.url(), redis.prefix());
		otherNode = new RedisConnections(redis.url(), redis.prefix());
		permits = new RedisPermits(node, Duration.ofSeconds(30));
	}

	@AfterAll
	static void disconnect() {
		if (node != null) {
			permits.close();
			node.close();
			otherNode.close();
		}
	}

	@Override
	protected Permits permits() {
		return permits;
	}

	@Override
	protected RateLimits rateLimits() {
		return new RedisRateLimits(node);
	}

	@Override
	protected Counters counters() {
		return new RedisCounters(node);
	}

	@Override
	protected Counters otherNodeCounters() {
		return new RedisCounters(otherNode);
	}

}
