package io.tollgate.billing.coordination;

/**
 * One limit a permit counts against, such as a key's or an account's concurrency.
 *
 * @param name unique name of what is limited, e.g. {@code key:42}
 * @param limit most permits held at once; a permit is refused when the scope is full
 */
public record PermitScope(String name, int limit) {

	public PermitScope {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative: " + limit);
		}
	}

}
