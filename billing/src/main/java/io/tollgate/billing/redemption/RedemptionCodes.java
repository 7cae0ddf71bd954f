package io.tollgate.billing.redemption;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.internal.Binds;
import io.tollgate.billing.key.ApiKeys;
import io.tollgate.billing.ledger.Ledger;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Single-use top-up codes. Admins generate them in batches (the codes are returned once
 * and stored as SHA-256 hashes); a tenant redeems one and it becomes a ledger top-up with
 * source {@code redemption}. The code is claimed by a conditional update
 * ({@code ... WHERE redeemed_at IS NULL}) in the same transaction as the ledger posting,
 * so that of any number of concurrent redemptions, on any number of nodes, exactly one
 * credits the balance.
 */
public class RedemptionCodes {

	/** The ledger source of redeemed codes. */
	public static final String SOURCE = "redemption";

	/** Letters and digits that cannot be mistaken for one another when typed. */
	private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int MAX_BATCH = 10_000;

	private final AdminSupport support;

	private final Ledger ledger;

	public RedemptionCodes(AdminSupport support, Ledger ledger) {
		this.support = support;
		this.ledger = ledger;
	}

	/**
	 * Generates a batch of codes.
	 * @param batch a name for the batch, unique
	 * @param count how many codes, 1 to 10,000
	 * @param amount what each code credits, positive
	 * @param expiresAt when the codes stop working, or {@code null}
	 * @param actor the admin
	 * @return the batch with its codes, which are shown only this once
	 */
	public Mono<RedemptionBatch> generate(String batch, int count, BigDecimal amount, Instant expiresAt, String actor) {
		if (batch == null || batch.isBlank() || batch.length() > 200) {
			return Mono.error(AdminException.invalid("A batch name of up to 200 characters is required"));
		}
		if (count < 1 || count > MAX_BATCH) {
			return Mono.error(AdminException.invalid("A batch has 1 to " + MAX_BATCH + " codes"));
		}
		if (amount == null || amount.signum() <= 0) {
			return Mono.error(AdminException.invalid("The amount must be positive"));
		}
		if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
			return Mono.error(AdminException.invalid("The expiry must be in the future"));
		}
		String name = batch.trim();
		List<String> codes = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			codes.add(newCode());
		}
		Mono<Void> inserts = this.support.db()
			.sql("SELECT COUNT(*) AS n FROM redemption_code WHERE batch = :batch")
			.bind("batch", name)
			.map((row) -> ((Number) row.get("n")).longValue())
			.one()
			.flatMap((existing) -> (existing > 0)
					? Mono.error(AdminException.invalid("A batch named '" + name + "' already exists")) : Mono.empty())
			.thenMany(Flux.fromIterable(codes).concatMap((code) -> {
				DatabaseClient.GenericExecuteSpec sql = this.support.db()
					.sql("""
							INSERT INTO redemption_code (batch, code_hash, display_prefix, amount, expires_at, created_by)
							VALUES (:batch, :hash, :prefix, :amount, :expires, :actor)""")
					.bind("batch", name)
					.bind("hash", ApiKeys.hash(code))
					.bind("prefix", code.substring(0, 9))
					.bind("amount", amount)
					.bind("actor", actor);
				return Binds.nullable(sql, "expires", AdminSupport.timestamp(expiresAt), java.time.OffsetDateTime.class)
					.then();
			}))
			.then(this.support.audit(actor, "redemption.generate", "redemption_batch", name,
					Map.of("codes", count, "amount", amount.toPlainString(), "expiresAt",
							(expiresAt != null) ? expiresAt.toString() : "never")));
		return this.support.transactional(inserts.thenReturn(new RedemptionBatch(name, amount, expiresAt, codes)));
	}

	/**
	 * Redeems a code for the principal's own tenant.
	 * @param by who redeems it
	 * @param code the code as typed (case and spaces do not matter)
	 * @return the top-up, or an error when the code is unknown, expired or already used
	 */
	public Mono<Redemption> redeem(TenantPrincipal by, String code) {
		String normalized = normalize(code);
		if (normalized == null) {
			return Mono.error(AdminException.invalid("This code is invalid, expired or already redeemed"));
		}
		String hash = ApiKeys.hash(normalized);
		Instant now = Instant.now();
		Mono<Redemption> redemption = this.support.db()
			.sql("""
					UPDATE redemption_code SET redeemed_at = :now, tenant_id = :tenant, redeemed_by = :actor
					WHERE code_hash = :hash AND redeemed_at IS NULL AND (expires_at IS NULL OR expires_at > :now)""")
			.bind("now", AdminSupport.timestamp(now))
			.bind("tenant", by.tenantId())
			.bind("actor", by.actor())
			.bind("hash", hash)
			.fetch()
			.rowsUpdated()
			.flatMap((claimed) -> (claimed == 1) ? claimed(hash)
					: Mono.error(AdminException.invalid("This code is invalid, expired or already redeemed")))
			.flatMap((claimed) -> this.ledger
				.credit(by.tenantId(), claimed.amount(), by.actor(), "Redeemed code " + claimed.prefix() + "…", SOURCE,
						Long.toString(claimed.id()))
				.flatMap((entry) -> this.support.db()
					.sql("UPDATE redemption_code SET ledger_entry_id = :entry WHERE id = :id")
					.bind("entry", entry.id())
					.bind("id", claimed.id())
					.then()
					.then(this.support.audit(by.actor(), "redemption.redeem", "tenant", Long.toString(by.tenantId()),
							Map.of("code", claimed.prefix(), "amount", claimed.amount().toPlainString(), "entry",
									entry.id())))
					.thenReturn(new Redemption(claimed.prefix(), entry))));
		return this.support.transactional(redemption);
	}

	/** Every batch with how far it has been redeemed, newest first. */
	public Mono<List<RedemptionBatch.Summary>> batches() {
		return this.support.db()
			.sql("""
					SELECT batch, MAX(amount) AS amount, COUNT(*) AS codes, COUNT(redeemed_at) AS redeemed,
					    MAX(expires_at) AS expires_at, MAX(created_by) AS created_by, MIN(created_at) AS created_at
					FROM redemption_code GROUP BY batch ORDER BY MIN(created_at) DESC""")
			.map((row) -> new RedemptionBatch.Summary(row.get("batch", String.class),
					row.get("amount", BigDecimal.class), ((Number) row.get("codes")).longValue(),
					((Number) row.get("redeemed")).longValue(), AdminSupport.instant(row, "expires_at"),
					row.get("created_by", String.class), AdminSupport.instant(row, "created_at")))
			.all()
			.collectList();
	}

	private Mono<Claimed> claimed(String hash) {
		return this.support.db()
			.sql("SELECT id, amount, display_prefix FROM redemption_code WHERE code_hash = :hash")
			.bind("hash", hash)
			.map((row) -> new Claimed(row.get("id", Long.class), row.get("amount", BigDecimal.class),
					row.get("display_prefix", String.class)))
			.one();
	}

	static String newCode() {
		StringBuilder code = new StringBuilder("TGR");
		for (int group = 0; group < 4; group++) {
			code.append('-');
			for (int i = 0; i < 5; i++) {
				code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
			}
		}
		return code.toString();
	}

	/** The code in its canonical form, or {@code null} when it cannot be one. */
	static String normalize(String code) {
		if (code == null) {
			return null;
		}
		String compact = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
		if (!compact.matches("TGR[A-Z0-9]{20}")) {
			return null;
		}
		StringBuilder canonical = new StringBuilder("TGR");
		for (int i = 3; i < compact.length(); i += 5) {
			canonical.append('-').append(compact, i, i + 5);
		}
		return canonical.toString();
	}

	private record Claimed(long id, BigDecimal amount, String prefix) {
	}

}
