package io.tollgate.billing.health;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Account health for admins: read it, and clear it so an account is tried again at once.
 */
public interface AccountHealthBoard {

	/**
	 * Health of every account the router knows.
	 * @return one entry per account
	 */
	Mono<List<AccountHealth>> all();

	/**
	 * Clears an account's cooldown, breaker and last error on every node.
	 * @param accountId the account
	 * @return completion
	 */
	Mono<Void> reset(long accountId);

}
