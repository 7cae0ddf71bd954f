package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.directory.IntentSettings;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.internal.JsonColumns;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Creates and edits groups and their member accounts.
 */
public class GroupAdmin {

	private final AdminSupport support;

	public GroupAdmin(AdminSupport support) {
		this.support = support;
	}

	/** Every group with its members, by name. */
	public Mono<List<Group>> list() {
		Mono<Map<Long, List<Group.Member>>> members = this.support.db()
			.sql("""
					SELECT m.group_id, m.account_id, a.name, m.priority, m.weight FROM group_account m
					JOIN upstream_account a ON a.id = m.account_id ORDER BY m.group_id, COALESCE(m.priority, a.priority), a.name""")
			.map((row) -> Map.entry(row.get("group_id", Long.class), member(row)))
			.all()
			.collectList()
			.map((entries) -> {
				Map<Long, List<Group.Member>> byGroup = new LinkedHashMap<>();
				entries.forEach((e) -> byGroup.computeIfAbsent(e.getKey(), (k) -> new ArrayList<>()).add(e.getValue()));
				return byGroup;
			});
		return members.flatMap((byGroup) -> this.support.db()
			.sql("SELECT * FROM api_group ORDER BY name")
			.map((row) -> group(row, byGroup.getOrDefault(row.get("id", Long.class), List.of())))
			.all()
			.collectList());
	}

	/** One group with its members, or an error when it does not exist. */
	public Mono<Group> get(long id) {
		return list().flatMap((groups) -> Mono.justOrEmpty(groups.stream().filter((g) -> g.id() == id).findFirst()))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Group", id)));
	}

	/** Creates a group without members. */
	public Mono<Group> create(String name, Group.Settings settings, String actor) {
		String groupName = Validation.name(name, "Group name");
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("""
					INSERT INTO api_group (name, platform, billing_mode, multiplier, model_mapping, sticky_ttl_seconds,
					    balance_fallback) VALUES (:name, :platform, :mode, :multiplier, :mapping, :ttl, :fallback)""")
			.bind("name", groupName);
		return this.support.change(Validation.unique(this.support.insert(settings(sql, settings)), "group", groupName)
			.flatMap((id) -> admissionPolicy(id, settings).then(intent(id, settings)).thenReturn(id))
			.flatMap(this::get), actor, "group.create", "group", GroupAdmin::detail);
	}

	/** Changes a group's settings. */
	public Mono<Group> update(long id, String name, Group.Settings settings, String actor) {
		String groupName = Validation.name(name, "Group name");
		DatabaseClient.GenericExecuteSpec sql = this.support.db().sql("""
				UPDATE api_group SET name = :name, platform = :platform, billing_mode = :mode,
				    multiplier = :multiplier, model_mapping = :mapping, sticky_ttl_seconds = :ttl,
				    balance_fallback = :fallback WHERE id = :id""").bind("name", groupName).bind("id", id);
		return this.support.change(get(id).then(settings(sql, settings).then())
			.then(admissionPolicy(id, settings))
			.then(intent(id, settings))
			.then(get(id)), actor, "group.update", "group", GroupAdmin::detail);
	}

	private Mono<Void> admissionPolicy(long id, Group.Settings settings) {
		String policy = null;
		if (settings.admissionPolicy() != null) {
			policy = Validation.oneOf(settings.admissionPolicy(), "Admission policy", "clamp", "overdraft", "strict");
		}
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("UPDATE api_group SET admission_policy = :policy WHERE id = :id")
			.bind("id", id);
		return Binds.nullable(sql, "policy", policy, String.class).then();
	}

	/**
	 * Sets the router model, once proved served by one of the group's accounts, and the
	 * group's intent defaults.
	 */
	private Mono<Void> intent(long id, Group.Settings settings) {
		try {
			IntentSettings.checkDefaults(settings.intentDefaults());
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(AdminException.invalid(ex.getMessage()));
		}
		Mono<Void> checked = Mono.empty();
		if (settings.routerModel() != null) {
			checked = this.support.db()
				.sql("SELECT a.models FROM group_account m JOIN upstream_account a ON a.id = m.account_id "
						+ "WHERE m.group_id = :id AND a.status = 'active'")
				.bind("id", id)
				.map((row) -> JsonColumns.stringList(row.get("models", String.class)))
				.all()
				.collectList()
				.flatMap((models) -> {
					try {
						IntentSettings.checkRouterModel(settings.routerModel(), settings.modelMapping(), models);
						return Mono.<Void>empty();
					}
					catch (IllegalArgumentException ex) {
						return Mono.error(AdminException.invalid(ex.getMessage()));
					}
				});
		}
		DatabaseClient.GenericExecuteSpec sql = this.support.db()
			.sql("UPDATE api_group SET router_model = :router, intent_defaults = :defaults WHERE id = :id")
			.bind("id", id);
		sql = Binds.nullable(sql, "router", settings.routerModel(), String.class);
		sql = Binds.nullable(sql, "defaults", JsonColumns.write(settings.intentDefaults()), String.class);
		return checked.then(sql.then());
	}

	/** Adds an account to a group, or changes its priority and weight there. */
	public Mono<Group> putMember(long groupId, long accountId, Integer priority, Integer weight, String actor) {
		Validation.positive(weight, "Weight");
		Mono<Void> upsert = this.support.db()
			.sql("SELECT id FROM upstream_account WHERE id = :id")
			.bind("id", accountId)
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Account", accountId)))
			.then(this.support.db()
				.sql("DELETE FROM group_account WHERE group_id = :g AND account_id = :a")
				.bind("g", groupId)
				.bind("a", accountId)
				.then())
			.then(Mono.defer(() -> {
				DatabaseClient.GenericExecuteSpec sql = this.support.db()
					.sql("INSERT INTO group_account (group_id, account_id, priority, weight) VALUES (:g, :a, :p, :w)")
					.bind("g", groupId)
					.bind("a", accountId);
				sql = Binds.nullable(sql, "p", priority, Integer.class);
				return Binds.nullable(sql, "w", weight, Integer.class).then();
			}));
		return this.support.change(get(groupId).then(upsert).then(get(groupId)), actor, "group.member.put", "group",
				(group) -> memberDetail(group, accountId, priority, weight));
	}

	/** Removes an account from a group. */
	public Mono<Group> removeMember(long groupId, long accountId, String actor) {
		return this.support.change(
				get(groupId)
					.then(this.support.db()
						.sql("DELETE FROM group_account WHERE group_id = :g AND account_id = :a")
						.bind("g", groupId)
						.bind("a", accountId)
						.then())
					.then(get(groupId)),
				actor, "group.member.remove", "group", (group) -> memberDetail(group, accountId, null, null));
	}

	private static DatabaseClient.GenericExecuteSpec settings(DatabaseClient.GenericExecuteSpec sql,
			Group.Settings settings) {
		BigDecimal multiplier = (settings.multiplier() != null) ? settings.multiplier() : BigDecimal.ONE;
		if (multiplier.signum() < 0) {
			throw AdminException.invalid("Multiplier must not be negative");
		}
		sql = sql.bind("platform", Validation.oneOf(settings.platform(), "Platform", "anthropic", "openai"))
			.bind("mode",
					Validation.oneOf((settings.billingMode() != null) ? settings.billingMode() : "balance",
							"Billing mode", "balance", "subscription"))
			.bind("multiplier", multiplier)
			.bind("ttl",
					(settings.stickyTtlSeconds() != null)
							? Validation.positive(settings.stickyTtlSeconds(), "Sticky TTL") : 3600)
			.bind("fallback", Boolean.TRUE.equals(settings.balanceFallback()));
		return Binds.nullable(sql, "mapping", JsonColumns.write(settings.modelMapping()), String.class);
	}

	private static Map<String, Object> memberDetail(Group group, long accountId, Integer priority, Integer weight) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", group.id());
		detail.put("group", group.name());
		detail.put("accountId", accountId);
		detail.put("priority", priority);
		detail.put("weight", weight);
		return detail;
	}

	static Map<String, Object> detail(Group group) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", group.id());
		detail.put("name", group.name());
		detail.put("platform", group.settings().platform());
		detail.put("billingMode", group.settings().billingMode());
		detail.put("multiplier", group.settings().multiplier());
		detail.put("modelMapping", group.settings().modelMapping());
		detail.put("stickyTtlSeconds", group.settings().stickyTtlSeconds());
		detail.put("admissionPolicy", group.settings().admissionPolicy());
		detail.put("routerModel", group.settings().routerModel());
		detail.put("intentDefaults", group.settings().intentDefaults());
		return detail;
	}

	private static Map<String, Object> intentDefaults(String json) {
		return (json != null) ? JsonColumns.objectMap(json) : null;
	}

	private static Group.Member member(Readable row) {
		return new Group.Member(row.get("account_id", Long.class), row.get("name", String.class),
				row.get("priority", Integer.class), row.get("weight", Integer.class));
	}

	private static Group group(Readable row, List<Group.Member> members) {
		return new Group(row.get("id", Long.class), row.get("name", String.class),
				new Group.Settings(row.get("platform", String.class), row.get("billing_mode", String.class),
						row.get("multiplier", BigDecimal.class),
						JsonColumns.stringMap(row.get("model_mapping", String.class)),
						row.get("sticky_ttl_seconds", Integer.class), row.get("balance_fallback", Boolean.class),
						row.get("admission_policy", String.class), row.get("router_model", String.class),
						intentDefaults(row.get("intent_defaults", String.class))),
				members);
	}

}
