package io.tollgate.billing.health;

/**
 * Told of account health changes by the router. Called on the request path: an
 * implementation only hands the change on and returns at once.
 */
@FunctionalInterface
public interface AccountHealthListener {

	/**
	 * An account's health changed.
	 * @param change what changed
	 */
	void changed(AccountHealthChange change);

	/** A listener that ignores every change. */
	AccountHealthListener NONE = (change) -> {
	};

}
