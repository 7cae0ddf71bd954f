package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.internal.Binds;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Plans and the subscriptions of tenants to them.
 */
public class PlanAdmin {

	private static final String SUBSCRIPTIONS = """
			SELECT s.*, t.name AS tenant_name, p.name AS plan_name FROM subscription s
			JOIN tenant t ON t.id = s.tenant_id JOIN plan p ON p.id = s.plan_id""";

	private final AdminSupport support;

	public PlanAdmin(AdminSupport support) {
		this.support = support;
	}

	/** Every plan, by name. */
	public Mono<List<Plan>> plans() {
		return this.support.db()
			.sql("SELECT p.*, g.name AS group_name FROM plan p JOIN api_group g ON g.id = p.group_id ORDER BY p.name")
			.map(PlanAdmin::planOf)
			.all()
			.collectList();
	}

	/** Creates a plan. */
	public Mono<Plan> createPlan(String name, long groupId, BigDecimal daily, BigDecimal weekly, BigDecimal monthly,
			String actor) {
		String planName = Validation.name(name, "Plan name");
		DatabaseClient.GenericExecuteSpec sql = this.support.db().sql("""
				INSERT INTO plan (name, group_id, daily_limit, weekly_limit, monthly_limit)
				VALUES (:name, :group, :daily, :weekly, :monthly)""").bind("name", planName).bind("group", groupId);
		sql = Binds.nullable(sql, "daily", Validation.nonNegative(daily, "Daily limit"), BigDecimal.class);
		sql = Binds.nullable(sql, "weekly", Validation.nonNegative(weekly, "Weekly limit"), BigDecimal.class);
		sql = Binds.nullable(sql, "monthly", Validation.nonNegative(monthly, "Monthly limit"), BigDecimal.class);
		Mono<Plan> insert = this.support.db()
			.sql("SELECT id FROM api_group WHERE id = :id")
			.bind("id", groupId)
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Group", groupId)))
			.then(Validation.unique(this.support.insert(sql), "plan", planName))
			.flatMap(this::plan);
		return this.support.change(insert, actor, "plan.create", "plan", (plan) -> {
			Map<String, Object> detail = new HashMap<>();
			detail.put("id", plan.id());
			detail.put("name", plan.name());
			detail.put("group", plan.groupName());
			detail.put("daily", plan.dailyLimit());
			detail.put("weekly", plan.weeklyLimit());
			detail.put("monthly", plan.monthlyLimit());
			return detail;
		});
	}

	/** One plan. */
	public Mono<Plan> plan(long id) {
		return plans().flatMap((plans) -> Mono.justOrEmpty(plans.stream().filter((p) -> p.id() == id).findFirst()))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Plan", id)));
	}

	/** Subscriptions, newest first. */
	public Mono<List<Plan.Subscription>> subscriptions() {
		return this.support.db()
			.sql(SUBSCRIPTIONS + " ORDER BY s.id DESC")
			.map(PlanAdmin::subscriptionOf)
			.all()
			.collectList();
	}

	/** Subscribes a tenant to a plan from a start until an optional end. */
	public Mono<Plan.Subscription> subscribe(long tenantId, long planId, Instant startsAt, Instant expiresAt,
			String actor) {
		Instant start = (startsAt != null) ? startsAt : Instant.now();
		if (expiresAt != null && !expiresAt.isAfter(start)) {
			throw AdminException.invalid("The subscription must end after it starts");
		}
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("INSERT INTO subscription (tenant_id, plan_id, starts_at, expires_at) VALUES (:t, :p, :s, :e)")
			.bind("t", tenantId)
			.bind("p", planId)
			.bind("s", AdminSupport.timestamp(start));
		sql = Binds.nullable(sql, "e", AdminSupport.timestamp(expiresAt), java.time.OffsetDateTime.class);
		Mono<Plan.Subscription> insert = plan(planId)
			.then(this.support.db()
				.sql("SELECT id FROM tenant WHERE id = :id")
				.bind("id", tenantId)
				.map((row) -> row.get("id", Long.class))
				.one()
				.switchIfEmpty(Mono.error(() -> AdminException.notFound("Tenant", tenantId))))
			.then(this.support.insert(sql))
			.flatMap(this::subscription);
		return this.support.change(insert, actor, "subscription.create", "subscription", PlanAdmin::detail);
	}

	/** Cancels a subscription. */
	public Mono<Plan.Subscription> cancel(long id, String actor) {
		return this.support.change(
				subscription(id)
					.then(this.support.db()
						.sql("UPDATE subscription SET status = 'cancelled' WHERE id = :id")
						.bind("id", id)
						.then())
					.then(subscription(id)),
				actor, "subscription.cancel", "subscription", PlanAdmin::detail);
	}

	private Mono<Plan.Subscription> subscription(long id) {
		return this.support.db()
			.sql(SUBSCRIPTIONS + " WHERE s.id = :id")
			.bind("id", id)
			.map(PlanAdmin::subscriptionOf)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Subscription", id)));
	}

	private static Map<String, Object> detail(Plan.Subscription subscription) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", subscription.id());
		detail.put("tenant", subscription.tenantName());
		detail.put("plan", subscription.planName());
		detail.put("startsAt", subscription.startsAt().toString());
		detail.put("expiresAt", (subscription.expiresAt() != null) ? subscription.expiresAt().toString() : null);
		detail.put("status", subscription.status());
		return detail;
	}

	private static Plan planOf(Readable row) {
		return new Plan(row.get("id", Long.class), row.get("name", String.class), row.get("group_id", Long.class),
				row.get("group_name", String.class), row.get("daily_limit", BigDecimal.class),
				row.get("weekly_limit", BigDecimal.class), row.get("monthly_limit", BigDecimal.class),
				row.get("status", String.class));
	}

	private static Plan.Subscription subscriptionOf(Readable row) {
		return new Plan.Subscription(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("tenant_name", String.class), row.get("plan_id", Long.class),
				row.get("plan_name", String.class), AdminSupport.instant(row, "starts_at"),
				AdminSupport.instant(row, "expires_at"), row.get("status", String.class));
	}

}
