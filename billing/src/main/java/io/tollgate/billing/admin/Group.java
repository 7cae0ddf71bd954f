package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A group as admins see it.
 *
 * @param id id
 * @param name unique name
 * @param settings platform, billing and mapping
 * @param members its upstream accounts
 */
public record Group(long id, String name, Settings settings, List<Member> members) {

	/**
	 * What an admin sets on a group.
	 *
	 * @param platform {@code anthropic} or {@code openai}
	 * @param billingMode {@code balance} or {@code subscription}
	 * @param multiplier factor applied to list prices
	 * @param modelMapping requested model (exact or wildcard, {@code *} default) to
	 * upstream model
	 * @param stickyTtlSeconds how long a session stays on its account
	 * @param balanceFallback whether subscription groups fall back to the balance
	 * @param admissionPolicy {@code clamp}, {@code overdraft} or {@code strict} when less
	 * than a request's full cost bound is left; {@code null} for the configured default
	 * @param routerModel the model that classifies requests for intent routing, planning
	 * and context optimisation (one the group serves), or {@code null} to allow none
	 * @param intentDefaults the group's own intent options, shaped like a request's
	 * {@code gateway} object ({@code planningTriggerScore},
	 * {@code chatHistoryCompression}, {@code toolOptimization},
	 * {@code mediaOptimization}), or {@code null}
	 */
	public record Settings(String platform, String billingMode, BigDecimal multiplier, Map<String, String> modelMapping,
			Integer stickyTtlSeconds, Boolean balanceFallback, String admissionPolicy, String routerModel,
			Map<String, Object> intentDefaults) {

		public Settings {
			modelMapping = (modelMapping != null)
					? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modelMapping)) : Map.of();
			admissionPolicy = (admissionPolicy != null && !admissionPolicy.isBlank()) ? admissionPolicy : null;
			routerModel = (routerModel != null && !routerModel.isBlank()) ? routerModel.strip() : null;
			intentDefaults = (intentDefaults != null && !intentDefaults.isEmpty())
					? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(intentDefaults)) : null;
		}

		/** Settings without intent routing. */
		public Settings(String platform, String billingMode, BigDecimal multiplier, Map<String, String> modelMapping,
				Integer stickyTtlSeconds, Boolean balanceFallback, String admissionPolicy) {
			this(platform, billingMode, multiplier, modelMapping, stickyTtlSeconds, balanceFallback, admissionPolicy,
					null, null);
		}

		/** Settings with the configured default admission policy. */
		public Settings(String platform, String billingMode, BigDecimal multiplier, Map<String, String> modelMapping,
				Integer stickyTtlSeconds, Boolean balanceFallback) {
			this(platform, billingMode, multiplier, modelMapping, stickyTtlSeconds, balanceFallback, null);
		}

	}

	/**
	 * An account in a group.
	 *
	 * @param accountId the account
	 * @param accountName its name
	 * @param priority order within the group (lower first), or {@code null} for the
	 * account's own
	 * @param weight share among equal priorities, or {@code null} for the account's own
	 */
	public record Member(long accountId, String accountName, Integer priority, Integer weight) {
	}

}
