package io.tollgate.billing.coordination;

import java.time.Duration;
import java.util.List;

import io.tollgate.billing.coordination.internal.RedisBindings;
import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.coordination.internal.RedisCounters;
import io.tollgate.billing.coordination.internal.RedisPermits;
import io.tollgate.billing.coordination.internal.RedisRateLimits;
import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared-state contract on a real Redis, plus what only a cluster has: two nodes
 * sharing limits, and permits of a dead node lapsing.
 */
class RedisCoordinationIntegrationTests extends CoordinationContract {

	private static RedisConnections node;

	private static RedisConnections otherNode;

	private static RedisPermits permits;

	private static ExternalServices.Redis redis;

	@BeforeAll
	static void connect() {
		redis = ExternalServices.redis();
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
	protected Bindings bindings() {
		return new RedisBindings(node);
	}

	@Test
	void closingANodeGivesBackThePermitsItStillHolds() {
		PermitScope scope = new PermitScope("closing:" + System.nanoTime(), 5);
		String key = node.key("permits", scope.name());
		RedisPermits closing = new RedisPermits(otherNode, Duration.ofSeconds(30));
		List<Permit> taken = takeAll(closing, new PermitScope(scope.name(), 3));
		assertThat(taken).hasSize(3);
		assertThat(node.strings().sync().zcard(key)).isEqualTo(3);

		closing.close();

		assertThat(node.strings().sync().zcard(key)).isZero();
	}

	@Test
	void twoNodesShareOneLimit() {
		PermitScope scope = new PermitScope("shared:" + System.nanoTime(), 3);
		try (RedisPermits other = new RedisPermits(otherNode, Duration.ofSeconds(30))) {
			List<Permit> mine = takeAll(permits, new PermitScope(scope.name(), 2));
			List<Permit> theirs = takeAll(other, scope);
			assertThat(mine).hasSize(2);
			assertThat(theirs).hasSize(1);
			mine.get(0).release();
			// the release travels on this node's connection, the next acquire on the
			// other's: it lands within moments, not necessarily first
			Permit freed = null;
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (freed == null && System.nanoTime() < deadline) {
				freed = other.tryAcquire(List.of(scope)).block();
			}
			assertThat(freed).as("the other node sees the freed permit").isNotNull();
		}
	}

	@Test
	void permitsOfADeadNodeLapseAfterTheirLease() throws InterruptedException {
		PermitScope scope = new PermitScope("lapse:" + System.nanoTime(), 1);
		RedisPermits dying = new RedisPermits(otherNode, Duration.ofMillis(600));
		assertThat(dying.tryAcquire(List.of(scope)).block()).isNotNull();
		Thread.sleep(900);
		assertThat(permits.tryAcquire(List.of(scope)).block()).as("still renewed while the node lives").isNull();
		dying.close();
		Thread.sleep(900);
		assertThat(permits.tryAcquire(List.of(scope)).block()).as("lapsed once renewals stopped").isNotNull();
	}

}
