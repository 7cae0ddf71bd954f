package io.tollgate.billing.bootstrap;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The declarative bootstrap file: what should exist after startup. Entities are matched
 * by name and created or updated; nothing is deleted.
 *
 * @param tenants tenants
 * @param accounts upstream accounts
 * @param groups groups, naming their accounts
 * @param prices price versions
 * @param keys API keys, naming their tenant and group
 */
public record BootstrapFile(List<TenantSpec> tenants, List<AccountSpec> accounts, List<GroupSpec> groups,
		List<PriceSpec> prices, List<KeySpec> keys) {

	public BootstrapFile {
		tenants = (tenants != null) ? tenants : List.of();
		accounts = (accounts != null) ? accounts : List.of();
		groups = (groups != null) ? groups : List.of();
		prices = (prices != null) ? prices : List.of();
		keys = (keys != null) ? keys : List.of();
	}

	/**
	 * @param name unique name
	 * @param status {@code active} (default) or {@code suspended}
	 * @param balance opening balance, credited once as a top-up when the tenant is
	 * created
	 * @param defaultConcurrency default concurrency for its keys
	 * @param defaultRpm default requests per minute for its keys
	 * @param overdraftLimit how far the overdraft admission policy lets its charges go
	 * beyond what was left; default the configured one
	 */
	public record TenantSpec(String name, String status, BigDecimal balance, Integer defaultConcurrency,
			Integer defaultRpm, BigDecimal overdraftLimit) {
	}

	/**
	 * @param name unique name
	 * @param platform {@code anthropic} or {@code openai}
	 * @param baseUrl base URL
	 * @param credential the upstream API key; {@code ${ENV_VAR}} placeholders are
	 * resolved
	 * @param models models served (globs allowed); empty for any
	 * @param modelMapping the account's own model mapping
	 * @param supportsCountTokens default true
	 * @param supportsThinking default true
	 * @param supportsImages default true
	 * @param concurrency concurrency limit
	 * @param priority lower first, default 0
	 * @param weight default 1
	 * @param zdr zero data retention, default false
	 * @param quirks OpenAI-compatible protocol knobs
	 * @param status {@code active} (default) or {@code disabled}
	 */
	public record AccountSpec(String name, String platform, String baseUrl, String credential, List<String> models,
			Map<String, String> modelMapping, Boolean supportsCountTokens, Boolean supportsThinking,
			Boolean supportsImages, Integer concurrency, Integer priority, Integer weight, Boolean zdr,
			Map<String, Object> quirks, String status) {
	}

	/**
	 * @param name unique name
	 * @param platform {@code anthropic} or {@code openai}
	 * @param billingMode {@code balance} (default) or {@code subscription}
	 * @param multiplier price multiplier, default 1
	 * @param modelMapping requested model to upstream model
	 * @param stickyTtl sticky-session lifetime ({@code 30m}, {@code 1h}, ISO-8601),
	 * default 1h
	 * @param balanceFallback whether spent subscriptions fall back to the balance
	 * @param estimateCountTokens answer count_tokens locally on openai groups
	 * @param accounts member accounts, by name or with priority and weight
	 * @param admissionPolicy {@code clamp}, {@code overdraft} or {@code strict}; default
	 * the configured one
	 * @param routerModel the model that classifies requests for intent routing, planning
	 * and context optimisation; one of the group's accounts must serve it. Default none:
	 * those options are refused
	 * @param intentDefaults the group's own intent options, shaped like a request's
	 * {@code gateway} object
	 */
	public record GroupSpec(String name, String platform, String billingMode, BigDecimal multiplier,
			Map<String, String> modelMapping, String stickyTtl, Boolean balanceFallback, Boolean estimateCountTokens,
			List<MemberSpec> accounts, String admissionPolicy, String routerModel, Map<String, Object> intentDefaults) {
	}

	/**
	 * @param name account name
	 * @param priority priority within the group, default the account's
	 * @param weight weight within the group, default the account's
	 */
	public record MemberSpec(String name, Integer priority, Integer weight) {

		@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
		public static MemberSpec named(String name) {
			return new MemberSpec(name, null, null);
		}

	}

	/**
	 * @param model exact model or glob
	 * @param input per million uncached input tokens
	 * @param output per million output tokens
	 * @param cacheWrite5m per million five-minute cache-write tokens
	 * @param cacheWrite1h per million one-hour cache-write tokens
	 * @param cacheRead per million cache-read tokens
	 * @param effectiveFrom first day ({@code 2025-01-01}, UTC) or instant it applies,
	 * default the epoch
	 */
	public record PriceSpec(String model, BigDecimal input, BigDecimal output,
			@JsonProperty("cache-write-5m") BigDecimal cacheWrite5m,
			@JsonProperty("cache-write-1h") BigDecimal cacheWrite1h, BigDecimal cacheRead, String effectiveFrom) {
	}

	/**
	 * @param name name within the tenant
	 * @param tenant tenant name
	 * @param group group name
	 * @param key the secret; generated and printed once when absent
	 * @param status {@code active} (default) or {@code revoked}
	 * @param expiresAt expiry
	 * @param allowedModels allowed models (globs)
	 * @param ipAllow CIDR allow-list
	 * @param concurrency concurrency limit
	 * @param rpm requests per minute
	 * @param tpm tokens per minute
	 * @param spendQuota lifetime spend quota
	 */
	public record KeySpec(String name, String tenant, String group, String key, String status, Instant expiresAt,
			List<String> allowedModels, List<String> ipAllow, Integer concurrency, Integer rpm, Integer tpm,
			BigDecimal spendQuota) {
	}

}
