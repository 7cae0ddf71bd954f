package io.tollgate.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tollgate.billing.coordination.internal.LocalBindings;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.directory.Secret;
import io.tollgate.billing.health.AccountHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two trackers over one set of bindings behave as two nodes of a cluster.
 */
class AccountHealthTrackerTests {

	private static final AccountView ACCOUNT = new AccountView(7, "a", Platform.ANTHROPIC, "http://x", new Secret("sk"),
			List.of(), Map.of(), true, true, true, null, 0, 1, false, Map.of(), "active");

	private static final RoutingProperties PROPERTIES = new RoutingProperties(Duration.ofMinutes(2),
			Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10),
			Duration.ofMinutes(10), Duration.ofHours(1),
			new RoutingProperties.Breaker(50, 2, 10, Duration.ofHours(1), 1));

	private final LocalBindings bindings = new LocalBindings();

	private final AccountHealthTracker one = new AccountHealthTracker(this.bindings, new Directory(null, Duration.ZERO),
			PROPERTIES);

	private final AccountHealthTracker two = new AccountHealthTracker(this.bindings, new Directory(null, Duration.ZERO),
			PROPERTIES);

	@AfterEach
	void close() {
		this.one.close();
		this.two.close();
	}

	private static AccountHealth health(AccountHealthTracker tracker) {
		return tracker.all().block().stream().filter((h) -> h.accountId() == 7).findFirst().orElseThrow();
	}

	@Test
	void sharesACooldownWithTheOtherNodeAtItsNextRefresh() {
		this.two.state(7);
		Duration wait = this.one.throttled(ACCOUNT, 429, Map.of("retry-after", "20"), "HTTP 429 rate_limit_error");
		assertThat(wait).isEqualTo(Duration.ofSeconds(20));
		assertThat(this.one.coolingDown(7)).isTrue();
		assertThat(this.two.coolingDown(7)).isFalse();
		this.two.refresh().block();
		assertThat(this.two.coolingDown(7)).isTrue();
		assertThat(health(this.two).state()).isEqualTo("cooling_down");
	}

	@Test
	void boundsTheCooldownAndFallsBackToTheDefault() {
		assertThat(this.one.throttled(ACCOUNT, 429, Map.of("retry-after", "86400"), "x"))
			.isEqualTo(Duration.ofMinutes(10));
		assertThat(this.one.throttled(ACCOUNT, 529, Map.of(), "x")).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.one.throttled(ACCOUNT, 429, Map.of(), "x")).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void resetClearsCooldownBreakerAndLastErrorOnEveryNode() {
		AccountHealthTracker.AccountState state = this.two.state(7);
		this.two.failed(state, "HTTP 500 api_error", 1_000);
		this.two.failed(state, "HTTP 500 api_error", 1_000);
		assertThat(health(this.two).state()).isEqualTo("circuit_open");
		assertThat(health(this.two).lastError()).isEqualTo("HTTP 500 api_error");
		this.one.throttled(ACCOUNT, 529, Map.of(), "HTTP 529 overloaded_error");
		this.two.refresh().block();

		this.one.reset(7).block();
		assertThat(health(this.one).state()).isEqualTo("healthy");
		this.two.refresh().block();
		AccountHealth after = health(this.two);
		assertThat(after.state()).isEqualTo("healthy");
		assertThat(after.lastError()).isNull();
		assertThat(after.cooldownUntil()).isNull();
		assertThat(state.breaker.tryAcquirePermission()).isTrue();
		// a reset is applied once, not at every refresh
		this.two.failed(state, "HTTP 500 api_error", 1_000);
		this.two.refresh().block();
		assertThat(health(this.two).lastError()).isEqualTo("HTTP 500 api_error");
	}

}
