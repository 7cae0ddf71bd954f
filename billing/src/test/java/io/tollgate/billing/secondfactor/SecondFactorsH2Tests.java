package io.tollgate.billing.secondfactor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.crypto.CredentialCipher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Second factors on the embedded database, with a clock the test moves: enrolment, replay
 * refusal, recovery codes, switching off and an admin's reset.
 */
@SpringBootTest(classes = BillingTestApplication.class)
class SecondFactorsH2Tests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static long nextId = 1000;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path dataDir = Files.createTempDirectory("tollgate-second-factor");
		registry.add("tollgate.data-dir", dataDir::toString);
		registry.add("tollgate.billing.usage-flush-interval", () -> "1h");
	}

	@Autowired
	AdminSupport support;

	@Autowired
	CredentialCipher cipher;

	@Autowired
	DatabaseClient db;

	final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T12:00:05Z"));

	SecondFactors factors;

	SecondFactorSubject subject;

	@BeforeEach
	void setUp() {
		this.factors = new SecondFactors(this.support, this.cipher, this.clock, "Tollgate");
		this.subject = SecondFactorSubject.tenant(nextId++, "ann@example.com");
	}

	@Test
	void switchesOnOnlyWithACurrentCodeAndKeepsTheSecretEncrypted() {
		Enrolment enrolment = this.factors.begin(this.subject).block(WAIT);
		assertThat(enrolment.uri()).startsWith("otpauth://totp/Tollgate:ann%40example.com?secret=" + enrolment.secret())
			.contains("&issuer=Tollgate")
			.contains("&period=30");
		assertThat(enrolment.toString()).doesNotContain(enrolment.secret());
		assertThat(this.factors.enabled(this.subject).block(WAIT)).isFalse();
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.factors.confirm(this.subject, "000000", "ann").block(WAIT));
		List<String> recovery = this.factors.confirm(this.subject, current(enrolment.secret()), "ann").block(WAIT);
		assertThat(recovery).hasSize(SecondFactors.RECOVERY_CODES).doesNotHaveDuplicates();
		assertThat(recovery.get(0)).matches("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
		assertThat(this.factors.state(this.subject).block(WAIT)).satisfies((state) -> {
			assertThat(state.enabled()).isTrue();
			assertThat(state.recoveryCodesLeft()).isEqualTo(SecondFactors.RECOVERY_CODES);
		});
		String stored = this.db
			.sql("SELECT secret FROM second_factor WHERE subject_kind = 'tenant' AND subject_id = :id")
			.bind("id", this.subject.id())
			.map((row) -> row.get("secret", String.class))
			.one()
			.block(WAIT);
		assertThat(stored).doesNotContain(enrolment.secret());
		assertThat(this.cipher.decrypt(stored)).isEqualTo(enrolment.secret());
		long hashes = this.db
			.sql("SELECT COUNT(*) FROM second_factor_recovery r JOIN second_factor f ON f.id = r.second_factor_id "
					+ "WHERE f.subject_id = :id AND r.code_hash = :hash")
			.bind("id", this.subject.id())
			.bind("hash", SecondFactors.recoveryHash(recovery.get(0)))
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT);
		assertThat(hashes).isOne();
	}

	@Test
	void acceptsEachCodeOnceAndNeverAnOlderOne() {
		String secret = enrolled();
		// the code that confirmed the enrolment cannot log in
		assertThat(check(current(secret))).isEqualTo(SecondFactorCheck.REPLAYED);
		this.clock.advance(TotpCodes.STEP);
		String next = current(secret);
		assertThat(check(next)).isEqualTo(SecondFactorCheck.CODE);
		assertThat(check(next)).isEqualTo(SecondFactorCheck.REPLAYED);
		// still inside its window a step later, but used
		this.clock.advance(TotpCodes.STEP);
		assertThat(check(next)).isEqualTo(SecondFactorCheck.REPLAYED);
		// a code one step ahead (a fast phone) counts once, and then the current one is
		// older
		long now = TotpCodes.step(this.clock.instant());
		assertThat(check(TotpCodes.code(secret, now + 1))).isEqualTo(SecondFactorCheck.CODE);
		String currentCode = TotpCodes.code(secret, now);
		if (!currentCode.equals(TotpCodes.code(secret, now + 1))) {
			assertThat(check(currentCode)).isEqualTo(SecondFactorCheck.REPLAYED);
		}
		assertThat(check("12345")).isEqualTo(SecondFactorCheck.WRONG);
	}

	@Test
	void refusesCodesOutsideTheWindow() {
		String secret = enrolled();
		this.clock.advance(TotpCodes.STEP.multipliedBy(10));
		long now = TotpCodes.step(this.clock.instant());
		String stale = TotpCodes.code(secret, now - 2);
		if (!stale.equals(TotpCodes.code(secret, now - 1)) && !stale.equals(TotpCodes.code(secret, now))
				&& !stale.equals(TotpCodes.code(secret, now + 1))) {
			assertThat(check(stale)).isEqualTo(SecondFactorCheck.WRONG);
		}
		assertThat(check(TotpCodes.code(secret, now - 1))).isEqualTo(SecondFactorCheck.CODE);
	}

	@Test
	void recoveryCodesWorkOnceInAnyCase() {
		Enrolment enrolment = this.factors.begin(this.subject).block(WAIT);
		List<String> recovery = this.factors.confirm(this.subject, current(enrolment.secret()), "ann").block(WAIT);
		assertThat(check(recovery.get(3).toUpperCase().replace("-", " "))).isEqualTo(SecondFactorCheck.RECOVERY);
		assertThat(check(recovery.get(3))).isEqualTo(SecondFactorCheck.WRONG);
		assertThat(check("aaaa-bbbb-cccc-dddd")).isEqualTo(SecondFactorCheck.WRONG);
		assertThat(this.factors.state(this.subject).block(WAIT).recoveryCodesLeft())
			.isEqualTo(SecondFactors.RECOVERY_CODES - 1);
		assertThat(audits("totp.recovery.use")).isOne();
	}

	@Test
	void switchingOffTakesACodeAndAnAdminResetIsAudited() {
		String secret = enrolled();
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> this.factors.disable(this.subject, "000000", "ann").block(WAIT));
		assertThat(this.factors.enabled(this.subject).block(WAIT)).isTrue();
		this.clock.advance(TotpCodes.STEP);
		this.factors.disable(this.subject, current(secret), "ann").block(WAIT);
		assertThat(this.factors.enabled(this.subject).block(WAIT)).isFalse();
		assertThat(audits("totp.disable")).isOne();

		enrolled();
		assertThat(this.factors.reset(this.subject, "root").block(WAIT)).isTrue();
		assertThat(this.factors.enabled(this.subject).block(WAIT)).isFalse();
		assertThat(this.factors.reset(this.subject, "root").block(WAIT)).isFalse();
		assertThat(audits("totp.reset")).isOne();
		assertThat(check("123456")).isEqualTo(SecondFactorCheck.WRONG);
	}

	@Test
	void aSecondEnrolmentIsRefusedWhileOn() {
		enrolled();
		assertThatExceptionOfType(AdminException.class).isThrownBy(() -> this.factors.begin(this.subject).block(WAIT));
	}

	private String enrolled() {
		Enrolment enrolment = this.factors.begin(this.subject).block(WAIT);
		this.factors.confirm(this.subject, current(enrolment.secret()), "ann").block(WAIT);
		return enrolment.secret();
	}

	private SecondFactorCheck check(String code) {
		return this.factors.check(this.subject, code, "ann").block(WAIT);
	}

	private String current(String secret) {
		return TotpCodes.code(secret, TotpCodes.step(this.clock.instant()));
	}

	private long audits(String action) {
		return this.db.sql("SELECT COUNT(*) FROM audit_event WHERE action = :action AND target_id = :id")
			.bind("action", action)
			.bind("id", Long.toString(this.subject.id()))
			.map((row) -> ((Number) row.get(0)).longValue())
			.one()
			.block(WAIT);
	}

	static final class MovableClock extends Clock {

		private Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
