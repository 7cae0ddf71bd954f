package io.tollgate.billing.admin;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.internal.JsonColumns;
import reactor.core.publisher.Mono;

/**
 * Redaction policies of groups and keys. Setting one replaces what was there; every
 * change is audited and reaches every node with the next directory load.
 */
public class RedactionAdmin {

	private static final String SELECT = """
			SELECT r.*, COALESCE(g.name, k.name) AS target_name FROM redaction_policy r
			LEFT JOIN api_group g ON g.id = r.group_id LEFT JOIN api_key k ON k.id = r.key_id""";

	private final AdminSupport support;

	private final RedactionPolicyCheck check;

	public RedactionAdmin(AdminSupport support, RedactionPolicyCheck check) {
		this.support = support;
		this.check = check;
	}

	/** Every policy set, groups first. */
	public Mono<List<RedactionSetting>> list() {
		return this.support.db()
			.sql(SELECT + " ORDER BY r.key_id NULLS FIRST, r.group_id, r.key_id")
			.map(RedactionAdmin::setting)
			.all()
			.collectList();
	}

	/** Sets a group's policy. */
	public Mono<RedactionSetting> setForGroup(long groupId, RedactionPolicy policy, String actor) {
		return set("group", groupId, policy, actor);
	}

	/** Sets a key's own policy, which then applies instead of its group's mode. */
	public Mono<RedactionSetting> setForKey(long keyId, RedactionPolicy policy, String actor) {
		return set("key", keyId, policy, actor);
	}

	/** Removes a group's or key's policy. */
	public Mono<Void> clear(String scope, long targetId, String actor) {
		String column = column(scope);
		Mono<Long> delete = this.support.db()
			.sql("DELETE FROM redaction_policy WHERE " + column + " = :id")
			.bind("id", targetId)
			.fetch()
			.rowsUpdated()
			.filter((rows) -> rows > 0)
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Redaction policy of " + scope, targetId)));
		return this.support
			.change(delete, actor, "redaction.clear", "redaction_policy",
					(rows) -> Map.of("id", scope + ":" + targetId))
			.then();
	}

	private Mono<RedactionSetting> set(String scope, long targetId, RedactionPolicy policy, String actor) {
		RedactionPolicy checked = checked(policy);
		String column = column(scope);
		String table = scope.equals("group") ? "api_group" : "api_key";
		Mono<RedactionSetting> upsert = this.support.db()
			.sql("SELECT id FROM " + table + " WHERE id = :id")
			.bind("id", targetId)
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound(scope.equals("group") ? "Group" : "Key", targetId)))
			.flatMap((id) -> this.support.db()
				.sql("DELETE FROM redaction_policy WHERE " + column + " = :id")
				.bind("id", targetId)
				.then())
			.then(this.support.db()
				.sql("INSERT INTO redaction_policy (" + column
						+ ", mode, entities, custom_terms, updated_at) VALUES (:id, :mode, :entities, :custom, :at)")
				.bind("id", targetId)
				.bind("mode", checked.mode().wireName())
				.bind("entities", jsonList(checked.entities()))
				.bind("custom", jsonList(checked.custom()))
				.bind("at", OffsetDateTime.now(ZoneOffset.UTC))
				.then())
			.then(Mono.defer(() -> this.support.db()
				.sql(SELECT + " WHERE r." + column + " = :id")
				.bind("id", targetId)
				.map(RedactionAdmin::setting)
				.one()));
		return this.support.change(upsert, actor, "redaction.set", "redaction_policy", RedactionAdmin::detail);
	}

	private RedactionPolicy checked(RedactionPolicy policy) {
		if (policy == null || policy.mode() == null) {
			throw AdminException.invalid("Mode is required: off, allowed or enforced");
		}
		if (policy.mode() == RedactionPolicy.Mode.ENFORCED && policy.entities().isEmpty()
				&& policy.custom().isEmpty()) {
			throw AdminException.invalid("An enforced policy needs at least one entity or custom term");
		}
		try {
			this.check.check(policy);
		}
		catch (IllegalArgumentException ex) {
			throw AdminException.invalid(ex.getMessage());
		}
		return policy;
	}

	private static String jsonList(List<String> values) {
		return values.isEmpty() ? "[]" : JsonColumns.write(values);
	}

	private static String column(String scope) {
		return switch (scope) {
			case "group" -> "group_id";
			case "key" -> "key_id";
			default -> throw AdminException.invalid("Scope must be group or key");
		};
	}

	private static RedactionSetting setting(Readable row) {
		Long groupId = row.get("group_id", Long.class);
		Long keyId = row.get("key_id", Long.class);
		return new RedactionSetting((groupId != null) ? "group" : "key", (groupId != null) ? groupId : keyId,
				row.get("target_name", String.class),
				new RedactionPolicy(RedactionPolicy.Mode.parse(row.get("mode", String.class)),
						JsonColumns.stringList(row.get("entities", String.class)),
						JsonColumns.stringList(row.get("custom_terms", String.class))),
				AdminSupport.instant(row, "updated_at"));
	}

	private static Map<String, Object> detail(RedactionSetting setting) {
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("id", setting.scope() + ":" + setting.targetId());
		detail.put("mode", setting.policy().mode().wireName());
		detail.put("entities", setting.policy().entities());
		// custom terms may themselves be sensitive: the audit trail counts them only
		detail.put("customTerms", setting.policy().custom().size());
		return detail;
	}

}
