package io.tollgate.billing.coordination;

import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Small string values shared by every node, each with a time to live: sticky-session
 * bindings, cooldowns, health marks.
 */
public interface Bindings {

	/**
	 * Reads a value.
	 * @param key the key
	 * @param slide when not {@code null}, restarts the value's time to live (a sliding
	 * expiry)
	 * @return the value, or empty
	 */
	Mono<String> get(String key, Duration slide);

	/**
	 * Writes a value.
	 * @param key the key
	 * @param value the value
	 * @param ttl how long it lives
	 * @return completion
	 */
	Mono<Void> put(String key, String value, Duration ttl);

	/**
	 * Removes a value.
	 * @param key the key
	 * @return completion
	 */
	Mono<Void> remove(String key);

	/**
	 * Every live value whose key starts with a prefix, for dashboards and periodic
	 * refreshes, not for the hot path.
	 * @param prefix the prefix
	 * @return keys (whole) to values
	 */
	Mono<Map<String, String>> all(String prefix);

}
