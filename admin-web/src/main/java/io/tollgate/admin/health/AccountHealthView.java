package io.tollgate.admin.health;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tollgate.billing.health.AccountHealth;
import io.tollgate.billing.health.AccountHealthBoard;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import io.tollgate.admin.config.ConsoleEnabled;

import org.springframework.stereotype.Component;

/**
 * The router's account health board when this node has one; the console says "health not
 * available" otherwise.
 */
@Component
@ConsoleEnabled
public class AccountHealthView {

	private final ObjectProvider<AccountHealthBoard> board;

	public AccountHealthView(ObjectProvider<AccountHealthBoard> board) {
		this.board = board;
	}

	/** Whether health can be shown. */
	public boolean available() {
		return this.board.getIfAvailable() != null;
	}

	/** Health by account id, or empty when there is no board. */
	public Mono<Optional<Map<Long, AccountHealth>>> byAccount() {
		AccountHealthBoard health = this.board.getIfAvailable();
		if (health == null) {
			return Mono.just(Optional.empty());
		}
		return health.all()
			.map((all) -> Optional.of(all.stream()
				.collect(Collectors.toMap(AccountHealth::accountId, Function.identity(), (a, b) -> a))));
	}

	/** Clears an account's cooldown and breaker; {@code false} when there is no board. */
	public Mono<Boolean> reset(long accountId) {
		AccountHealthBoard health = this.board.getIfAvailable();
		return (health != null) ? health.reset(accountId).thenReturn(true) : Mono.just(false);
	}

}
