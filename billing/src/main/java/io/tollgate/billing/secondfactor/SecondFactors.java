package io.tollgate.billing.secondfactor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.key.ApiKeys;
import org.apache.commons.codec.binary.Base32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Optional TOTP second factors of console users and tenant users. The secret is stored
 * encrypted under the master key, like upstream credentials; it is switched on only once
 * the user has typed a current code from the app, and comes with ten single-use recovery
 * codes, shown once and kept only as SHA-256 hashes. A code is accepted once: the newest
 * accepted time step is stored and the same or an older step is refused, on every node.
 * Every change is audited; codes and secrets never are.
 */
public class SecondFactors {

	/** Recovery codes issued when a second factor is switched on. */
	public static final int RECOVERY_CODES = 10;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final AdminSupport support;

	private final CredentialCipher cipher;

	private final Clock clock;

	private final String issuer;

	public SecondFactors(AdminSupport support, CredentialCipher cipher, Clock clock, String issuer) {
		this.support = support;
		this.cipher = cipher;
		this.clock = clock;
		this.issuer = issuer;
	}

	/** Where the subject's second factor stands. */
	public Mono<SecondFactorState> state(SecondFactorSubject subject) {
		return row(subject).flatMap((row) -> {
			if (!row.active()) {
				return Mono.just(new SecondFactorState(false, true, null, 0));
			}
			return this.support.db()
				.sql("SELECT COUNT(*) AS n FROM second_factor_recovery WHERE second_factor_id = :id AND used_at IS NULL")
				.bind("id", row.id())
				.map((r) -> ((Number) r.get("n")).intValue())
				.one()
				.map((left) -> new SecondFactorState(true, false, row.enabledAt(), left));
		}).defaultIfEmpty(SecondFactorState.NONE);
	}

	/** Whether logins of the subject ask for a code. */
	public Mono<Boolean> enabled(SecondFactorSubject subject) {
		return row(subject).map(Row::active).defaultIfEmpty(false);
	}

	/** The ids of one kind's users whose second factor is on. */
	public Mono<Set<Long>> enabledIds(String kind) {
		return this.support.db()
			.sql("SELECT subject_id FROM second_factor WHERE subject_kind = :kind AND status = 'active'")
			.bind("kind", kind)
			.map((r) -> r.get("subject_id", Long.class))
			.all()
			.collect(Collectors.toSet());
	}

	/**
	 * Starts setting up a second factor: a new secret, replacing any earlier unconfirmed
	 * one. Refused while a second factor is on.
	 */
	public Mono<Enrolment> begin(SecondFactorSubject subject) {
		String secret = TotpCodes.newSecret();
		Mono<Enrolment> start = enabled(subject).flatMap((on) -> {
			if (on) {
				return Mono.error(AdminException.invalid("Two-step login is already on; switch it off first"));
			}
			return this.support.db()
				.sql("DELETE FROM second_factor WHERE subject_kind = :kind AND subject_id = :id AND status = 'pending'")
				.bind("kind", subject.kind())
				.bind("id", subject.id())
				.then()
				.then(this.support.db()
					.sql("""
							INSERT INTO second_factor (subject_kind, subject_id, secret, status)
							VALUES (:kind, :id, :secret, 'pending')""")
					.bind("kind", subject.kind())
					.bind("id", subject.id())
					.bind("secret", this.cipher.encrypt(secret))
					.then())
				.thenReturn(enrolment(subject, secret));
		});
		return this.support.transactional(start);
	}

	/** The set-up started and not yet confirmed, if any (to show it again). */
	public Mono<Enrolment> pending(SecondFactorSubject subject) {
		return row(subject).filter((row) -> !row.active())
			.map((row) -> enrolment(subject, this.cipher.decrypt(row.secret())));
	}

	/**
	 * Switches the second factor on once the user proves the app has the secret.
	 * @param subject whose
	 * @param code a current code from the app
	 * @param actor who, for the audit trail
	 * @return the recovery codes, the only time they are available
	 */
	public Mono<List<String>> confirm(SecondFactorSubject subject, String code, String actor) {
		Instant now = this.clock.instant();
		Mono<List<String>> confirm = row(subject).filter((row) -> !row.active())
			.switchIfEmpty(Mono.error(() -> AdminException.invalid("Start the set-up first")))
			.flatMap((row) -> {
				OptionalLong step = TotpCodes.matchingStep(this.cipher.decrypt(row.secret()), code, now);
				if (step.isEmpty()) {
					return Mono.error(AdminException
						.invalid("That code does not match; check the app's entry and the phone's clock, then try "
								+ "the current code"));
				}
				List<String> codes = recoveryCodes();
				return this.support.db()
					.sql("""
							UPDATE second_factor SET status = 'active', enabled_at = :at, last_step = :step
							WHERE id = :id AND status = 'pending'""")
					.bind("at", AdminSupport.timestamp(now))
					.bind("step", step.getAsLong())
					.bind("id", row.id())
					.fetch()
					.rowsUpdated()
					.flatMap((updated) -> (updated == 1) ? Mono.just(row)
							: Mono.error(AdminException.invalid("Start the set-up first")))
					.thenMany(Flux.fromIterable(codes))
					.concatMap((recovery) -> this.support.db()
						.sql("INSERT INTO second_factor_recovery (second_factor_id, code_hash) VALUES (:id, :hash)")
						.bind("id", row.id())
						.bind("hash", recoveryHash(recovery))
						.then())
					.then(audit(actor, "totp.enable", subject, Map.of("recoveryCodes", codes.size())))
					.thenReturn(codes);
			});
		return this.support.transactional(confirm);
	}

	/**
	 * Checks a code at login: a current authenticator code not used before, or an unused
	 * recovery code (then used up and audited).
	 * @param subject whose
	 * @param code what the user typed
	 * @param actor who, for the audit trail
	 * @return the outcome; {@link SecondFactorCheck#WRONG} when no second factor is on
	 */
	public Mono<SecondFactorCheck> check(SecondFactorSubject subject, String code, String actor) {
		Instant now = this.clock.instant();
		String typed = TotpCodes.normalise(code).replace("-", "");
		return row(subject).filter(Row::active).flatMap((row) -> {
			if (typed.length() == TotpCodes.DIGITS && typed.chars().allMatch(Character::isDigit)) {
				OptionalLong step = TotpCodes.matchingStep(this.cipher.decrypt(row.secret()), typed, now);
				if (step.isEmpty()) {
					return Mono.just(SecondFactorCheck.WRONG);
				}
				return this.support.db()
					.sql("""
							UPDATE second_factor SET last_step = :step
							WHERE id = :id AND status = 'active' AND (last_step IS NULL OR last_step < :step)""")
					.bind("step", step.getAsLong())
					.bind("id", row.id())
					.fetch()
					.rowsUpdated()
					.map((updated) -> (updated == 1) ? SecondFactorCheck.CODE : SecondFactorCheck.REPLAYED);
			}
			if (typed.isEmpty() || typed.length() > 64) {
				return Mono.just(SecondFactorCheck.WRONG);
			}
			return this.support.transactional(this.support.db()
				.sql("""
						UPDATE second_factor_recovery SET used_at = :at
						WHERE second_factor_id = :id AND code_hash = :hash AND used_at IS NULL""")
				.bind("at", AdminSupport.timestamp(now))
				.bind("id", row.id())
				.bind("hash", recoveryHash(typed))
				.fetch()
				.rowsUpdated()
				.flatMap((updated) -> (updated == 1)
						? audit(actor, "totp.recovery.use", subject, Map.of()).thenReturn(SecondFactorCheck.RECOVERY)
						: Mono.just(SecondFactorCheck.WRONG)));
		}).defaultIfEmpty(SecondFactorCheck.WRONG);
	}

	/**
	 * Switches the user's own second factor off; takes a current code or a recovery code.
	 */
	public Mono<Void> disable(SecondFactorSubject subject, String code, String actor) {
		return check(subject, code, actor).flatMap((check) -> {
			if (!check.accepted()) {
				return Mono.error(AdminException.invalid("That code is wrong or was already used"));
			}
			return this.support.transactional(delete(subject).then(audit(actor, "totp.disable", subject, Map.of())));
		});
	}

	/**
	 * Switches a user's second factor off as an admin (a lost phone), audited.
	 * @return whether there was one
	 */
	public Mono<Boolean> reset(SecondFactorSubject subject, String actor) {
		return this.support.transactional(delete(subject).flatMap((deleted) -> (deleted > 0)
				? audit(actor, "totp.reset", subject, Map.of("account", subject.account())).thenReturn(true)
				: Mono.just(false)));
	}

	private Mono<Long> delete(SecondFactorSubject subject) {
		return this.support.db()
			.sql("DELETE FROM second_factor WHERE subject_kind = :kind AND subject_id = :id")
			.bind("kind", subject.kind())
			.bind("id", subject.id())
			.fetch()
			.rowsUpdated();
	}

	private Mono<Row> row(SecondFactorSubject subject) {
		return this.support.db()
			.sql("SELECT * FROM second_factor WHERE subject_kind = :kind AND subject_id = :id")
			.bind("kind", subject.kind())
			.bind("id", subject.id())
			.map((r) -> new Row(r.get("id", Long.class), r.get("secret", String.class),
					"active".equals(r.get("status", String.class)), AdminSupport.instant(r, "enabled_at")))
			.one();
	}

	private Mono<Void> audit(String actor, String action, SecondFactorSubject subject, Map<String, Object> detail) {
		String type = SecondFactorSubject.CONSOLE.equals(subject.kind()) ? "admin_user" : "tenant_user";
		return this.support.audit(actor, action, type, Long.toString(subject.id()), detail);
	}

	private Enrolment enrolment(SecondFactorSubject subject, String secret) {
		String label = encode(this.issuer) + ":" + encode(subject.account());
		return new Enrolment(secret, "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(this.issuer)
				+ "&algorithm=SHA1&digits=" + TotpCodes.DIGITS + "&period=" + TotpCodes.STEP.toSeconds());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** Ten codes like {@code k3vq-7dma-2xwe-p4nr} (80 random bits each). */
	static List<String> recoveryCodes() {
		List<String> codes = new ArrayList<>();
		Base32 base32 = new Base32();
		for (int i = 0; i < RECOVERY_CODES; i++) {
			byte[] bytes = new byte[10];
			RANDOM.nextBytes(bytes);
			String raw = base32.encodeToString(bytes).toLowerCase(Locale.ROOT);
			codes.add(raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-"
					+ raw.substring(12, 16));
		}
		return codes;
	}

	static String recoveryHash(String code) {
		return ApiKeys.hash("recovery:" + code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT));
	}

	private record Row(long id, String secret, boolean active, Instant enabledAt) {
	}

}
