package io.tollgate.billing.tenantview;

import java.util.List;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.directory.RedactionPolicy;
import io.tollgate.billing.internal.JsonColumns;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Mono;

/**
 * The PII redaction policy of a tenant's own key, set by the tenant within what the key's
 * group allows: under a group that turns redaction {@code off} a key can only be
 * {@code off} too; under {@code allowed} or {@code enforced} it may be anything (what a
 * group enforces stays enforced whatever the key says). Always within the tenant's own
 * keys: another tenant's key is not found. Changes are audited with the tenant user as
 * actor and reach the gateways with the next directory load.
 */
public class TenantRedaction {

	private final AdminSupport support;

	private final TenantKeys keys;

	private final RedactionAdmin redaction;

	public TenantRedaction(AdminSupport support, TenantKeys keys, RedactionAdmin redaction) {
		this.support = support;
		this.keys = keys;
		this.redaction = redaction;
	}

	/** The key's own policy, if any, and its group's. */
	public Mono<KeyRedaction> get(TenantPrincipal principal, long keyId) {
		return this.keys.get(principal, keyId)
			.flatMap((key) -> Mono
				.zip(policy("group_id", key.groupId()).defaultIfEmpty(RedactionPolicy.ALLOWED),
						policy("key_id", keyId).map(List::of).defaultIfEmpty(List.of()))
				.map((t) -> KeyRedaction.of(keyId, key.groupId(), t.getT1(),
						t.getT2().isEmpty() ? null : t.getT2().get(0))));
	}

	/**
	 * Sets the key's own policy.
	 * @throws AdminException (as an error signal) not found for another tenant's key,
	 * invalid when the group does not allow the mode or the policy is malformed
	 */
	public Mono<KeyRedaction> set(TenantPrincipal principal, long keyId, RedactionPolicy policy) {
		return get(principal, keyId).flatMap((current) -> {
			if (policy == null || policy.mode() == null) {
				return Mono.error(AdminException.invalid("Mode is required: off, allowed or enforced"));
			}
			if (current.group().mode() == RedactionPolicy.Mode.OFF && policy.mode() != RedactionPolicy.Mode.OFF) {
				return Mono.error(AdminException
					.invalid("PII redaction is off for this key's group; the key's policy can only be off"));
			}
			return this.redaction.setForKey(keyId, policy, principal.actor());
		}).then(Mono.defer(() -> get(principal, keyId)));
	}

	/** Removes the key's own policy, so that its group's applies. */
	public Mono<KeyRedaction> clear(TenantPrincipal principal, long keyId) {
		return get(principal, keyId).flatMap((current) -> (current.key() != null)
				? this.redaction.clear("key", keyId, principal.actor()).then(get(principal, keyId))
				: Mono.just(current));
	}

	private Mono<RedactionPolicy> policy(String column, long id) {
		return this.support.db()
			.sql("SELECT mode, entities, custom_terms FROM redaction_policy WHERE " + column + " = :id")
			.bind("id", id)
			.map((row) -> new RedactionPolicy(RedactionPolicy.Mode.parse(row.get("mode", String.class)),
					JsonColumns.stringList(row.get("entities", String.class)),
					JsonColumns.stringList(row.get("custom_terms", String.class))))
			.one();
	}

	/**
	 * A key's redaction as its tenant sees it.
	 *
	 * @param keyId the key
	 * @param groupId its group
	 * @param group the group's policy ({@code allowed} where none is set)
	 * @param key the key's own policy, or {@code null} when the group's applies
	 * @param effectiveMode the mode that applies to the key's requests
	 * @param modes the modes the tenant may give this key
	 */
	public record KeyRedaction(long keyId, long groupId, RedactionPolicy group, RedactionPolicy key,
			String effectiveMode, List<String> modes) {

		static KeyRedaction of(long keyId, long groupId, RedactionPolicy group, RedactionPolicy key) {
			return new KeyRedaction(keyId, groupId, group, key, ((key != null) ? key : group).mode().wireName(),
					(group.mode() == RedactionPolicy.Mode.OFF) ? List.of("off")
							: List.of("off", "allowed", "enforced"));
		}

	}

}
