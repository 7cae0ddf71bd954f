package io.tollgate.billing.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An upstream account as admins see it: its credential only as a masked hint.
 *
 * @param id id
 * @param name unique name
 * @param credentialHint the credential masked, e.g. {@code ••••wxyz}
 * @param settings where and how it is reached
 * @param createdAt creation time
 */
public record Account(long id, String name, String credentialHint, Settings settings, Instant createdAt) {

	/**
	 * What an admin sets on an account.
	 *
	 * @param platform {@code anthropic} or {@code openai}
	 * @param baseUrl upstream base URL
	 * @param models models it serves (empty: any)
	 * @param modelMapping per-account model mapping
	 * @param concurrencyLimit concurrent requests, or {@code null} for unlimited
	 * @param priority order among accounts (lower first)
	 * @param weight share among equal priorities
	 * @param status {@code active} or {@code disabled}
	 */
	public record Settings(String platform, String baseUrl, List<String> models, Map<String, String> modelMapping,
			Integer concurrencyLimit, Integer priority, Integer weight, String status) {

		public Settings {
			models = (models != null) ? List.copyOf(models) : List.of();
			modelMapping = (modelMapping != null)
					? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modelMapping)) : Map.of();
		}

	}

	/**
	 * What a connection test needs; the credential stays wrapped.
	 *
	 * @param platform the platform
	 * @param baseUrl the base URL
	 * @param credential the credential
	 */
	public record Connection(String platform, String baseUrl, io.tollgate.billing.directory.Secret credential) {
	}

}
