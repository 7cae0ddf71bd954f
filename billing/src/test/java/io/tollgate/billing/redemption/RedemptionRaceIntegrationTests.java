package io.tollgate.billing.redemption;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.tollgate.billing.BillingTestApplication;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Redemption codes on two nodes sharing PostgreSQL and Redis: every code, redeemed at the
 * same moment by two tenants through two nodes (two connection pools), is credited
 * exactly once, and the balances equal the sums of their ledger entries.
 */
class RedemptionRaceIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(60);

	static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@BeforeAll
	static void startTwoNodes() throws IOException {
		Map<String, Object> properties = new LinkedHashMap<>();
		ExternalServices.freshPostgresDatabase().register((name, value) -> properties.put(name, value.get()));
		ExternalServices.redis().register((name, value) -> properties.put(name, value.get()));
		properties.put("tollgate.billing.usage-flush-interval", "1h");
		for (int node = 0; node < 2; node++) {
			properties.put("tollgate.data-dir", Files.createTempDirectory("tollgate-redemption-node").toString());
			String[] args = properties.entrySet()
				.stream()
				.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new);
			nodes
				.add(new SpringApplicationBuilder(BillingTestApplication.class).web(WebApplicationType.NONE).run(args));
		}
	}

	@AfterAll
	static void stopNodes() {
		nodes.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aCodeRedeemedConcurrentlyOnTwoNodesIsCreditedOnce() {
		TenantAdmin tenants = nodes.get(0).getBean(TenantAdmin.class);
		Tenant a = tenants.create(Tenant.Form.named("race-a"), "test").block(WAIT);
		Tenant b = tenants.create(Tenant.Form.named("race-b"), "test").block(WAIT);
		TenantPrincipal ownerA = new TenantPrincipal(a.id(), a.name(), 1L, "ann", TenantPrincipal.OWNER);
		TenantPrincipal ownerB = new TenantPrincipal(b.id(), b.name(), 2L, "bob", TenantPrincipal.OWNER);
		int codes = 25;
		RedemptionBatch batch = nodes.get(0)
			.getBean(RedemptionCodes.class)
			.generate("race", codes, new BigDecimal("5"), null, "admin")
			.block(WAIT);
		assertThat(batch.codes()).hasSize(codes).doesNotHaveDuplicates();

		ConcurrentLinkedQueue<Redemption> credited = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Throwable> refused = new ConcurrentLinkedQueue<>();
		for (String code : batch.codes()) {
			Mono<Void> onNodeA = attempt(nodes.get(0).getBean(RedemptionCodes.class), ownerA, code, credited, refused);
			Mono<Void> onNodeB = attempt(nodes.get(1).getBean(RedemptionCodes.class), ownerB, code, credited, refused);
			Flux.merge(onNodeA.subscribeOn(Schedulers.parallel()), onNodeB.subscribeOn(Schedulers.parallel()))
				.then()
				.block(WAIT);
		}

		assertThat(credited).hasSize(codes);
		assertThat(refused).hasSize(codes)
			.allSatisfy((error) -> assertThat(error).isInstanceOf(AdminException.class)
				.hasMessageContaining("already redeemed"));
		DatabaseClient db = nodes.get(1).getBean(DatabaseClient.class);
		assertThat(number(db, "SELECT COUNT(*) FROM ledger_entry WHERE source = 'redemption'")).isEqualTo(codes);
		assertThat(number(db, "SELECT COUNT(*) FROM redemption_code WHERE redeemed_at IS NOT NULL "
				+ "AND ledger_entry_id IS NOT NULL"))
			.isEqualTo(codes);
		BigDecimal balanceA = tenants.get(a.id()).block(WAIT).balance();
		BigDecimal balanceB = tenants.get(b.id()).block(WAIT).balance();
		assertThat(balanceA.add(balanceB)).isEqualByComparingTo(new BigDecimal(5 * codes));
		assertThat(balanceA).isEqualByComparingTo(ledgerSum(db, a.id()));
		assertThat(balanceB).isEqualByComparingTo(ledgerSum(db, b.id()));
	}

	@Test
	void expiredUnknownAndReusedCodesAreRefusedAndCaseAndSpacesDoNotMatter() {
		TenantAdmin tenants = nodes.get(0).getBean(TenantAdmin.class);
		Tenant tenant = tenants.create(Tenant.Form.named("redeem-rules"), "test").block(WAIT);
		TenantPrincipal owner = new TenantPrincipal(tenant.id(), tenant.name(), 3L, "cy", TenantPrincipal.OWNER);
		RedemptionCodes codes = nodes.get(1).getBean(RedemptionCodes.class);
		String code = codes
			.generate("rules", 1, new BigDecimal("2.50"), Instant.now().plus(Duration.ofDays(1)), "admin")
			.block(WAIT)
			.codes()
			.get(0);
		Redemption redemption = codes.redeem(owner, " " + code.toLowerCase().replace("-", " ") + " ").block(WAIT);
		assertThat(redemption.entry().amount()).isEqualByComparingTo("2.50");
		assertThat(redemption.entry().kind()).isEqualTo("topup");
		assertThat(redemption.entry().balanceAfter()).isEqualByComparingTo("2.50");
		assertThatExceptionOfType(AdminException.class).isThrownBy(() -> codes.redeem(owner, code).block(WAIT));
		assertThatExceptionOfType(AdminException.class)
			.isThrownBy(() -> codes.redeem(owner, "TGR-AAAAA-BBBBB-CCCCC-DDDDD").block(WAIT));
		assertThatExceptionOfType(AdminException.class).isThrownBy(() -> codes.redeem(owner, "nonsense").block(WAIT));
		DatabaseClient db = nodes.get(0).getBean(DatabaseClient.class);
		String expired = codes.generate("expiring", 1, BigDecimal.ONE, Instant.now().plusSeconds(3600), "admin")
			.block(WAIT)
			.codes()
			.get(0);
		db.sql("UPDATE redemption_code SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' HOUR WHERE batch = 'expiring'")
			.then()
			.block(WAIT);
		assertThatExceptionOfType(AdminException.class).isThrownBy(() -> codes.redeem(owner, expired).block(WAIT));
		assertThat(tenants.get(tenant.id()).block(WAIT).balance()).isEqualByComparingTo("2.50");
		assertThat(number(db, "SELECT COUNT(*) FROM redemption_code WHERE code_hash LIKE 'TGR%'")).isZero();
	}

	private static Mono<Void> attempt(RedemptionCodes codes, TenantPrincipal by, String code,
			ConcurrentLinkedQueue<Redemption> credited, ConcurrentLinkedQueue<Throwable> refused) {
		return codes.redeem(by, code)
			.doOnNext(credited::add)
			.doOnError(refused::add)
			.onErrorResume((e) -> Mono.empty())
			.then();
	}

	private static long number(DatabaseClient db, String sql) {
		return db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(WAIT);
	}

	private static BigDecimal ledgerSum(DatabaseClient db, long tenantId) {
		return db.sql("SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE tenant_id = :t")
			.bind("t", tenantId)
			.map((row) -> row.get(0, BigDecimal.class))
			.one()
			.block(WAIT);
	}

}
