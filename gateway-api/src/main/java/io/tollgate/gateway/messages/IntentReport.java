package io.tollgate.gateway.messages;

import java.math.BigDecimal;

import io.tollgate.billing.price.Cost;
import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.routing.intent.IntentOptions;
import io.tollgate.routing.intent.PlannedModel;
import io.tollgate.routing.usage.TokenUsage;

/**
 * What intent routing, planning and context optimisation did for one request: the
 * decision, the router and planner calls it paid for, and the tokens it saved. Read by
 * accounting (the calls are charged with the request) and by the response (its
 * {@code usage.planning_usage_details}).
 */
public final class IntentReport {

	private final IntentOptions options;

	private final PlannedModel planned;

	private String tag;

	private String routedModel;

	private String outcome;

	private long planningInputTokens;

	private long planningOutputTokens;

	private BigDecimal planningList = BigDecimal.ZERO;

	private BigDecimal planningCharged = BigDecimal.ZERO;

	private boolean planningCalls;

	private long tokensSaved;

	/**
	 * Starts the report of a request that asked for intent routing, planning or context
	 * optimisation.
	 * @param options what it asked for, within its group's policy
	 * @param planned the executor and planner when its model was written
	 * {@code executor:planning:planner}, else {@code null}
	 */
	public IntentReport(IntentOptions options, PlannedModel planned) {
		this.options = options;
		this.planned = planned;
	}

	public IntentOptions options() {
		return this.options;
	}

	public PlannedModel planned() {
		return this.planned;
	}

	/** Notes the router's decision. */
	public synchronized void decided(String outcome, String tag, String routedModel) {
		this.outcome = outcome;
		this.tag = tag;
		this.routedModel = routedModel;
	}

	/**
	 * Adds a router or planner call that answered: its tokens and cost are the tenant's.
	 */
	public synchronized void planningCall(TokenUsage usage, Cost cost) {
		this.planningCalls = true;
		this.planningInputTokens += usage.inputTokens() + usage.cacheCreationInputTokens()
				+ usage.cacheReadInputTokens();
		this.planningOutputTokens += usage.outputTokens();
		this.planningList = this.planningList.add(cost.listCost());
		this.planningCharged = this.planningCharged.add(cost.charged());
	}

	/** Notes input tokens the context optimisations removed. */
	public synchronized void saved(long tokens) {
		this.tokensSaved += tokens;
	}

	public synchronized String tag() {
		return this.tag;
	}

	public synchronized String routedModel() {
		return this.routedModel;
	}

	public synchronized String outcome() {
		return this.outcome;
	}

	public synchronized long tokensSaved() {
		return this.tokensSaved;
	}

	/** Whether a router or planner call answered, so that there is planning usage. */
	public synchronized boolean hasPlanningUsage() {
		return this.planningCalls;
	}

	/** The request's own cost with its planning calls added. */
	public synchronized Cost addTo(Cost cost) {
		if (!this.planningCalls) {
			return cost;
		}
		return new Cost(cost.listCost().add(this.planningList), cost.charged().add(this.planningCharged),
				cost.priceId());
	}

	/**
	 * The {@code planning_usage_details} object of the response's usage.
	 * @return {@code {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…,"cost":…}}
	 */
	public synchronized String usageDetailsJson() {
		return "{\"prompt_tokens\":" + this.planningInputTokens + ",\"completion_tokens\":" + this.planningOutputTokens
				+ ",\"total_tokens\":" + (this.planningInputTokens + this.planningOutputTokens) + ",\"cost\":"
				+ this.planningCharged.stripTrailingZeros().toPlainString() + "}";
	}

	/** As the usage record stores it. */
	public synchronized UsageEvent.Intent toEvent() {
		return new UsageEvent.Intent(this.tag, this.routedModel, this.outcome,
				this.planningCalls ? this.planningInputTokens : 0, this.planningCalls ? this.planningOutputTokens : 0,
				this.planningCalls ? this.planningCharged : null, this.tokensSaved);
	}

}
