package io.tollgate.billing.directory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A group: how requests with its keys are routed and billed.
 *
 * @param id group id
 * @param name unique name
 * @param platform protocol of its accounts
 * @param billingMode balance or subscription
 * @param multiplier factor on list prices
 * @param modelMapping requested model to upstream model (exact names and globs)
 * @param stickyTtl how long a conversation stays bound to an account after its last
 * request
 * @param balanceFallback whether a spent subscription window falls back to the balance
 * @param estimateCountTokens whether count_tokens is answered with a local estimate
 * @param members its accounts, with the group's priority and weight for each
 * @param admissionPolicy what admission does when less than a request's full bound is
 * left, or {@code null} for the configured default
 * @param routerModel the model requests are classified with for intent routing, planning
 * and context optimisation, or {@code null} when the group allows none of them
 * @param intentDefaults the group's own intent options (JSON object shaped like a
 * request's {@code gateway} object), or {@code null}
 */
public record GroupView(long id, String name, Platform platform, BillingMode billingMode, BigDecimal multiplier,
		Map<String, String> modelMapping, Duration stickyTtl, boolean balanceFallback, boolean estimateCountTokens,
		List<Member> members, AdmissionPolicy admissionPolicy, String routerModel, String intentDefaults) {

	/**
	 * A group without intent routing.
	 */
	public GroupView(long id, String name, Platform platform, BillingMode billingMode, BigDecimal multiplier,
			Map<String, String> modelMapping, Duration stickyTtl, boolean balanceFallback, boolean estimateCountTokens,
			List<Member> members, AdmissionPolicy admissionPolicy) {
		this(id, name, platform, billingMode, multiplier, modelMapping, stickyTtl, balanceFallback, estimateCountTokens,
				members, admissionPolicy, null, null);
	}

	/**
	 * A group with the configured default admission policy.
	 */
	public GroupView(long id, String name, Platform platform, BillingMode billingMode, BigDecimal multiplier,
			Map<String, String> modelMapping, Duration stickyTtl, boolean balanceFallback, boolean estimateCountTokens,
			List<Member> members) {
		this(id, name, platform, billingMode, multiplier, modelMapping, stickyTtl, balanceFallback, estimateCountTokens,
				members, null);
	}

	/**
	 * An account in a group.
	 *
	 * @param account the account
	 * @param priority the group's priority for it (lower first)
	 * @param weight the group's weight for it
	 */
	public record Member(AccountView account, int priority, int weight) {
	}

}
