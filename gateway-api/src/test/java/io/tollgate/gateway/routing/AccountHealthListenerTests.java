package io.tollgate.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.tollgate.billing.coordination.internal.LocalBindings;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.directory.Secret;
import io.tollgate.billing.health.AccountHealthChange;
import io.tollgate.billing.health.AccountHealthChange.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker tells its listener (billing's alerts) of transitions only: entering a
 * cooldown, opening the breaker, recovering.
 */
class AccountHealthListenerTests {

	private static final AccountView ACCOUNT = new AccountView(7, "a", Platform.ANTHROPIC, "http://x", new Secret("sk"),
			List.of(), Map.of(), true, true, true, null, 0, 1, false, Map.of(), "active");

	private static final RoutingProperties PROPERTIES = new RoutingProperties(Duration.ofMinutes(2),
			Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10),
			Duration.ofMinutes(10), Duration.ofHours(1),
			new RoutingProperties.Breaker(50, 2, 10, Duration.ofHours(1), 1));

	private final List<AccountHealthChange> changes = new CopyOnWriteArrayList<>();

	private final AccountHealthTracker tracker = new AccountHealthTracker(new LocalBindings(),
			new Directory(null, Duration.ZERO), PROPERTIES, this.changes::add);

	@AfterEach
	void close() {
		this.tracker.close();
	}

	@Test
	void toldOnceWhenAnAccountEntersACooldown() {
		this.tracker.throttled(ACCOUNT, 429, Map.of("retry-after", "20"), "HTTP 429 rate_limit_error");
		this.tracker.throttled(ACCOUNT, 429, Map.of("retry-after", "20"), "HTTP 429 rate_limit_error");

		assertThat(this.changes).hasSize(1);
		AccountHealthChange change = this.changes.get(0);
		assertThat(change.accountId()).isEqualTo(7);
		assertThat(change.kind()).isEqualTo(Kind.COOLDOWN);
		assertThat(change.until()).isNotNull();
		assertThat(change.error()).isEqualTo("HTTP 429 rate_limit_error");
	}

	@Test
	void toldWhenTheBreakerOpensAndWhenTheAccountRecovers() {
		AccountHealthTracker.AccountState state = this.tracker.state(7);
		this.tracker.failed(state, "HTTP 500 api_error", 1_000);
		this.tracker.failed(state, "HTTP 500 api_error", 1_000);
		assertThat(this.changes).extracting(AccountHealthChange::kind).containsExactly(Kind.BREAKER_OPEN);
		assertThat(this.changes.get(0).error()).isEqualTo("HTTP 500 api_error");

		state.breaker.transitionToHalfOpenState();
		state.breaker.onSuccess(1_000, TimeUnit.NANOSECONDS);
		assertThat(this.changes).extracting(AccountHealthChange::kind)
			.containsExactly(Kind.BREAKER_OPEN, Kind.RECOVERED);
	}

}
