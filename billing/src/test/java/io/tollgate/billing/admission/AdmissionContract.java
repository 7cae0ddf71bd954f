package io.tollgate.billing.admission;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.tollgate.billing.admission.AdmissionRefused.Reason;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.directory.AdmissionPolicy;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.DirectorySnapshot;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.Platform;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.SpendBaseline.TenantSpend;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.directory.SubscriptionView;
import io.tollgate.billing.directory.TenantView;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.price.PriceBook;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission against the shared-state ports, run in process and on Redis. Prices are one
 * unit of money per output token, so a request's reservation is its {@code max_tokens}.
 */
abstract class AdmissionContract {

	protected abstract Permits permits();

	protected abstract RateLimits rateLimits();

	protected abstract Counters counters();

	/** The spend counters as a second node sees them; the same ones in process. */
	protected Counters otherNodeCounters() {
		return counters();
	}

	private static final Instant NOW = Instant.parse("2026-11-18T15:00:00Z");

	/** Unique ids per run: Redis keeps counters between runs. */
	private static final AtomicLong IDS = new AtomicLong(
			Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) * 1000);

	private final long tenantId = IDS.incrementAndGet();

	private final long keyId = IDS.incrementAndGet();

	private final long groupId = IDS.incrementAndGet();

	private final AtomicReference<DirectorySnapshot> snapshot = new AtomicReference<>();

	private Admission admission(String reserve, Duration wait) {
		Supplier<DirectorySnapshot> directory = this.snapshot::get;
		return new Admission(directory, permits(), rateLimits(), counters(), new BigDecimal(reserve), wait);
	}

	/** An admission whose groups default to a policy, with a floor of 2 tokens. */
	private Admission admission(AdmissionPolicy policy, String overdraft) {
		Supplier<DirectorySnapshot> directory = this.snapshot::get;
		return new Admission(directory, permits(), rateLimits(), counters(), BigDecimal.ZERO, Duration.ZERO,
				new AdmissionDefaults(policy, 2, new BigDecimal(overdraft)));
	}

	private KeyGrant grant(String balance, Integer concurrency, Integer rpm, BigDecimal quota) {
		TenantView tenant = new TenantView(this.tenantId, "t" + this.tenantId, "active", new BigDecimal(balance), null,
				null);
		return new KeyGrant(this.keyId, "k", "tg-x", tenant, this.groupId, "active", null, java.util.Set.of(),
				List.of(), concurrency, rpm, null, quota);
	}

	private GroupView group(BillingMode mode, boolean fallback) {
		return new GroupView(this.groupId, "g", Platform.ANTHROPIC, mode, BigDecimal.ONE, Map.of(), Duration.ofHours(1),
				fallback, false, List.of());
	}

	/** Like {@link #admission(AdmissionPolicy, String)}, on a second node. */
	private Admission otherNode(AdmissionPolicy policy, String overdraft) {
		Supplier<DirectorySnapshot> directory = this.snapshot::get;
		return new Admission(directory, permits(), rateLimits(), otherNodeCounters(), BigDecimal.ZERO, Duration.ZERO,
				new AdmissionDefaults(policy, 2, new BigDecimal(overdraft)));
	}

	private GroupView group(BillingMode mode, AdmissionPolicy policy) {
		return new GroupView(this.groupId, "g", Platform.ANTHROPIC, mode, BigDecimal.ONE, Map.of(), Duration.ofHours(1),
				false, false, List.of(), policy);
	}

	private void install(KeyGrant grant, GroupView group, String usageCharged, List<SubscriptionView> subscriptions,
			Map<String, BigDecimal> windows) {
		install(grant, group, new TenantSpend(new BigDecimal(usageCharged), null, null), subscriptions, windows);
	}

	private void install(KeyGrant grant, GroupView group, TenantSpend tenantSpend, List<SubscriptionView> subscriptions,
			Map<String, BigDecimal> windows) {
		Price price = new Price(1, "m*", BigDecimal.ZERO, new BigDecimal("1000000"), BigDecimal.ZERO, BigDecimal.ZERO,
				BigDecimal.ZERO, Instant.EPOCH);
		SpendBaseline spend = new SpendBaseline(Map.of(this.tenantId, tenantSpend), Map.of(),
				Map.of(this.tenantId, subscriptions), windows);
		this.snapshot.set(new DirectorySnapshot(1, Map.of(), Map.of(this.groupId, group),
				Map.of(this.tenantId, grant.tenant()), new PriceBook(List.of(price)), spend));
	}

	private static AdmissionRequest request(KeyGrant grant, GroupView group, long maxTokens) {
		return new AdmissionRequest(grant, group, "model", 0, maxTokens, NOW);
	}

	private static Cost cost(long money) {
		BigDecimal amount = BigDecimal.valueOf(money).setScale(Price.SCALE);
		return new Cost(amount, amount, 1L);
	}

	private static Reason refusal(Mono<Ticket> admit) {
		try {
			admit.block(Duration.ofSeconds(30));
			return null;
		}
		catch (AdmissionRefused ex) {
			return ex.reason();
		}
	}

	@Test
	void parallelRequestsNeverDriveTheBalanceBelowTheReserve() {
		KeyGrant grant = grant("10", null, null, null);
		GroupView group = group(BillingMode.BALANCE, false);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission("2", Duration.ZERO);
		List<Ticket> admitted = admitInParallel(admission, request(grant, group, 1), 50);
		assertThat(admitted).as("10 - 2 reserve at 1 each").hasSize(8);
		assertThat(admitted).allSatisfy((ticket) -> assertThat(ticket.chargedTo()).isEqualTo(ChargedTo.BALANCE));
		// each cost nothing in the end but half were cancelled: all 8 units come back
		admitted.subList(0, 4).forEach((ticket) -> ticket.settle(cost(0), TokenCounts.ZERO));
		admitted.subList(4, 8).forEach(Ticket::cancel);
		admitted.get(0).settle(cost(5), TokenCounts.ZERO);
		assertThat(admitInParallel(admission, request(grant, group, 1), 50)).as("settled once: all back").hasSize(8);
	}

	@Test
	void racingAdmitsAndSettlesNeverSpendBeyondTheBalance() {
		KeyGrant grant = grant("100", null, null, null);
		GroupView group = group(BillingMode.BALANCE, false);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission("10", Duration.ZERO);
		Random random = new Random(42);
		List<Integer> estimates = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			estimates.add(1 + random.nextInt(5));
		}
		AtomicLong spent = new AtomicLong();
		Flux.fromIterable(estimates)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((estimate) -> admission.admit(request(grant, group, estimate)).doOnNext((ticket) -> {
				long actual = estimate - (estimate * 7 % 3) / 2;
				spent.addAndGet(actual);
				ticket.settle(cost(actual), TokenCounts.ZERO);
			}).onErrorResume(AdmissionRefused.class, (ex) -> Mono.empty()))
			.sequential()
			.blockLast(Duration.ofSeconds(60));
		// never beyond 100 - 10 reserve; and the budget was used, less at most what the 8
		// rails' last reservations (up to 5 each) held when the final requests were
		// refused
		assertThat(spent.get()).isLessThanOrEqualTo(90).isGreaterThan(90 - 8 * 5);
		assertThat(counters().get("spend:tenant:" + this.tenantId).block())
			.isEqualTo(Cost.units(BigDecimal.valueOf(spent.get())));
	}

	@Test
	void aManualPostingRaisesTheCeilingWithoutCountingInFlightSpendTwice() {
		KeyGrant grant = grant("5", null, null, null);
		GroupView group = group(BillingMode.BALANCE, false);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission("0", Duration.ZERO);
		List<Ticket> first = admitInParallel(admission, request(grant, group, 1), 10);
		assertThat(first).hasSize(5);
		// two were written to the database: the balance went down by 2, usage charged up
		// by 2
		first.get(0).settle(cost(1), TokenCounts.ZERO);
		first.get(1).settle(cost(1), TokenCounts.ZERO);
		KeyGrant written = grant("3", null, null, null);
		install(written, group, "2", List.of(), Map.of());
		assertThat(admitInParallel(admission, request(written, group, 1), 10)).as("nothing new").isEmpty();
		// a top-up of 4 bumps the revision; three requests are still in flight
		KeyGrant toppedUp = grant("7", null, null, null);
		install(toppedUp, group, "2", List.of(), Map.of());
		assertThat(admitInParallel(admission, request(toppedUp, group, 1), 10)).hasSize(4);
	}

	@Test
	void concurrencyNeverExceedsTheKeyLimit() {
		KeyGrant grant = grant("1000000", 3, null, null);
		GroupView group = group(BillingMode.BALANCE, false);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission("0", Duration.ofSeconds(20));
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		long admitted = Flux.range(0, 30).flatMap((i) -> admission.admit(request(grant, group, 1)).flatMap((ticket) -> {
			most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			return Mono.delay(Duration.ofMillis(5)).doOnNext((tick) -> {
				inFlight.decrementAndGet();
				ticket.permit().release();
				ticket.settle(cost(1), TokenCounts.ZERO);
			});
		}), 30).count().block(Duration.ofSeconds(60));
		assertThat(admitted).as("all waited their turn").isEqualTo(30);
		assertThat(most.get()).isEqualTo(3);
		Admission impatient = admission("0", Duration.ZERO);
		List<Ticket> held = admitInParallel(impatient, request(grant, group, 1), 10);
		assertThat(held).hasSize(3);
		assertThat(refusal(impatient.admit(request(grant, group, 1)))).isEqualTo(Reason.CONCURRENCY);
		held.forEach((ticket) -> ticket.permit().release());
	}

	@Test
	void aSpentWindowRefusesUntilItResetsOrFallsBackToTheBalance() {
		KeyGrant grant = grant("3", null, null, null);
		SubscriptionView subscription = new SubscriptionView(IDS.incrementAndGet(), this.tenantId, this.groupId, "pro",
				Instant.EPOCH, null, new BigDecimal("4"), null, new BigDecimal("100"));
		GroupView strict = group(BillingMode.SUBSCRIPTION, false);
		// the database says 1 of the day's 4 is already spent
		install(grant, strict, "0", List.of(subscription),
				Map.of(SpendWindow.DAILY.key(subscription.id(), NOW), BigDecimal.ONE));
		Admission admission = admission("0", Duration.ZERO);
		List<Ticket> admitted = admitInParallel(admission, request(grant, strict, 1), 10);
		assertThat(admitted).hasSize(3)
			.allSatisfy((ticket) -> assertThat(ticket.chargedTo()).isEqualTo(ChargedTo.SUBSCRIPTION))
			.allSatisfy((ticket) -> assertThat(ticket.subscriptionId()).isEqualTo(subscription.id()));
		try {
			admission.admit(request(grant, strict, 1)).block();
			throw new AssertionError("admitted");
		}
		catch (AdmissionRefused ex) {
			assertThat(ex.reason()).isEqualTo(Reason.WINDOW_SPENT);
			assertThat(ex.retryAfter()).isEqualTo(Duration.ofHours(9));
		}
		GroupView lenient = group(BillingMode.SUBSCRIPTION, true);
		install(grant, lenient, "0", List.of(subscription), Map.of());
		List<Ticket> fallback = admitInParallel(admission, request(grant, lenient, 1), 10);
		assertThat(fallback).hasSize(3)
			.allSatisfy((ticket) -> assertThat(ticket.chargedTo()).isEqualTo(ChargedTo.BALANCE));
		assertThat(counters().get("spend:sub:" + SpendWindow.MONTHLY.key(subscription.id(), NOW)).block())
			.as("the refused fallbacks took nothing from the month")
			.isEqualTo(Cost.units(new BigDecimal("3")));
	}

	@Test
	void requestsPerMinuteAndTheKeyQuotaAreEnforced() {
		KeyGrant limited = grant("1000", null, 2, null);
		GroupView group = group(BillingMode.BALANCE, false);
		install(limited, group, "0", List.of(), Map.of());
		Admission admission = admission("0", Duration.ZERO);
		admission.admit(request(limited, group, 1)).block();
		admission.admit(request(limited, group, 1)).block();
		try {
			admission.admit(request(limited, group, 1)).block();
			throw new AssertionError("admitted");
		}
		catch (AdmissionRefused ex) {
			assertThat(ex.reason()).isEqualTo(Reason.RATE_LIMITED);
			assertThat(ex.retryAfter()).isPositive();
		}
		KeyGrant quota = grant("1000", null, null, new BigDecimal("2"));
		install(quota, group, "0", List.of(), Map.of());
		assertThat(admitInParallel(admission, request(quota, group, 1), 5)).hasSize(2);
		assertThat(refusal(admission.admit(request(quota, group, 1)))).isEqualTo(Reason.QUOTA_SPENT);
		assertThat(counters().get("spend:tenant:" + this.tenantId).block())
			.as("two per minute, two within the quota; the refused took nothing from the balance")
			.isEqualTo(Cost.units(new BigDecimal("4")));
	}

	@Test
	void clampServesWhatIsLeftAndNeverChargesBeyondIt() {
		KeyGrant grant = grant("10", null, null, null);
		GroupView group = group(BillingMode.BALANCE, (AdmissionPolicy) null);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission(AdmissionPolicy.CLAMP, "0");
		Ticket first = admission.admit(request(grant, group, 32)).block();
		assertThat(first.clamped()).isTrue();
		assertThat(first.maxTokens()).as("what 10 pays for").isEqualTo(10);
		assertThat(first.reservedUnits()).isEqualTo(Cost.units(BigDecimal.TEN));
		AdmissionRefused refused = refused(admission.admit(request(grant, group, 32)));
		assertThat(refused.reason()).isEqualTo(Reason.NO_BALANCE);
		assertThat(refused.getMessage()).isEqualTo(
				"0 left on the balance; this request needs at least 2 at max_tokens 2 \u2014 lower max_tokens or top up");
		// the upstream counted more input than the tokenizer: the charge stops at the
		// reservation, and so does the spend
		Cost charged = first.settle(cost(12), TokenCounts.ZERO).block();
		assertThat(charged.charged()).isEqualByComparingTo("10");
		assertThat(charged.listCost()).isEqualByComparingTo("12");
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(BigDecimal.TEN));
	}

	@Test
	void clampGivesBackWhatASmallerLimitCouldNotPay() {
		KeyGrant grant = grant("3", null, null, new BigDecimal("10"));
		GroupView group = group(BillingMode.BALANCE, AdmissionPolicy.CLAMP);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission(AdmissionPolicy.STRICT, "0");
		Ticket ticket = admission.admit(request(grant, group, 8)).block();
		assertThat(ticket.maxTokens()).as("the balance has 3 left").isEqualTo(3);
		assertThat(ticket.policy()).as("the group's own policy").isEqualTo(AdmissionPolicy.CLAMP);
		assertThat(counters().get("spend:key:" + this.keyId).block()).as("the quota keeps only 3 too")
			.isEqualTo(Cost.units(new BigDecimal("3")));
		ticket.settle(cost(2), TokenCounts.ZERO);
		assertThat(counters().get("spend:key:" + this.keyId).block()).isEqualTo(Cost.units(new BigDecimal("2")));
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(new BigDecimal("2")));
		AdmissionRefused refused = refused(admission.admit(request(grant, group, 8)));
		assertThat(refused.reason()).isEqualTo(Reason.NO_BALANCE);
		assertThat(refused.getMessage()).startsWith("1 left on the balance; this request needs at least 2");
		assertThat(counters().get("spend:key:" + this.keyId).block()).as("the refused gave the quota back")
			.isEqualTo(Cost.units(new BigDecimal("2")));
	}

	@Test
	void aSmallPlanServesUnderClampAndRefusesInformativelyUnderStrict() {
		KeyGrant grant = grant("0", null, null, null);
		SubscriptionView subscription = new SubscriptionView(IDS.incrementAndGet(), this.tenantId, this.groupId, "tiny",
				Instant.EPOCH, null, new BigDecimal("4"), null, null);
		GroupView strict = group(BillingMode.SUBSCRIPTION, AdmissionPolicy.STRICT);
		install(grant, strict, "0", List.of(subscription), Map.of());
		Admission admission = admission(AdmissionPolicy.CLAMP, "0");
		AdmissionRefused refused = refused(admission.admit(request(grant, strict, 32000)));
		assertThat(refused.reason()).isEqualTo(Reason.WINDOW_SPENT);
		assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(9));
		assertThat(refused.getMessage()).isEqualTo("4 left in today's window of plan tiny; this request needs at least "
				+ "32000 at max_tokens 32000 \u2014 lower max_tokens or wait 9h");
		GroupView clamp = group(BillingMode.SUBSCRIPTION, AdmissionPolicy.CLAMP);
		install(grant, clamp, "0", List.of(subscription), Map.of());
		Ticket ticket = admission.admit(request(grant, clamp, 32000)).block();
		assertThat(ticket.maxTokens()).isEqualTo(4);
		assertThat(ticket.chargedTo()).isEqualTo(ChargedTo.SUBSCRIPTION);
		ticket.settle(cost(3), TokenCounts.ZERO);
		AdmissionRefused belowTheFloor = refused(admission.admit(request(grant, clamp, 32000)));
		assertThat(belowTheFloor.getMessage()).isEqualTo("1 left in today's window of plan tiny; this request needs "
				+ "at least 2 at max_tokens 2 \u2014 lower max_tokens or wait 9h");
	}

	@Test
	void overdraftAdmitsWhileSomethingIsLeftAndNeverBeyondTheLimit() {
		KeyGrant grant = grant("10", null, null, null);
		GroupView group = group(BillingMode.BALANCE, AdmissionPolicy.OVERDRAFT);
		install(grant, group, new TenantSpend(BigDecimal.ZERO, null, null, new BigDecimal("5")), List.of(), Map.of());
		Admission admission = admission(AdmissionPolicy.CLAMP, "100");
		Ticket first = admission.admit(request(grant, group, 8)).block();
		assertThat(first.clamped()).isFalse();
		assertThat(first.overdraft()).isFalse();
		Ticket second = admission.admit(request(grant, group, 8)).block();
		assertThat(second.overdraft()).as("2 left, and the tenant's overdraft of 5").isTrue();
		assertThat(second.maxTokens()).as("not beyond the overdraft").isEqualTo(7);
		AdmissionRefused refused = refused(admission.admit(request(grant, group, 1)));
		assertThat(refused.reason()).isEqualTo(Reason.NO_BALANCE);
		assertThat(refused.getMessage()).startsWith("0 left on the balance;");
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(new BigDecimal("15")));
		first.settle(cost(8), TokenCounts.ZERO);
		assertThat(second.settle(cost(9), TokenCounts.ZERO).block().charged()).isEqualByComparingTo("7");
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(new BigDecimal("15")));
	}

	@Test
	void aCostBeyondTheReservationIsChargedAsFarAsTheLimitAllows() {
		KeyGrant grant = grant("10", null, null, null);
		GroupView group = group(BillingMode.BALANCE, AdmissionPolicy.STRICT);
		install(grant, group, "0", List.of(), Map.of());
		Admission admission = admission(AdmissionPolicy.CLAMP, "0");
		Ticket first = admission.admit(request(grant, group, 4)).block();
		Ticket second = admission.admit(request(grant, group, 4)).block();
		// the upstream added input the request did not show (search results)
		assertThat(first.settle(cost(5), TokenCounts.ZERO).block().charged()).as("there was room")
			.isEqualByComparingTo("5");
		assertThat(second.settle(cost(9), TokenCounts.ZERO).block().charged()).as("up to the balance")
			.isEqualByComparingTo("5");
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(BigDecimal.TEN));
	}

	@Test
	void parallelClampsNeverShareOneRemainder() {
		KeyGrant grant = grant("100", null, null, null);
		GroupView group = group(BillingMode.BALANCE, AdmissionPolicy.CLAMP);
		install(grant, group, "0", List.of(), Map.of());
		// two nodes taking from one remainder
		List<Ticket> admitted = admitInParallel(admission(AdmissionPolicy.CLAMP, "0"),
				otherNode(AdmissionPolicy.CLAMP, "0"), request(grant, group, 7), 60);
		assertThat(admitted.stream().mapToLong(Ticket::maxTokens).sum()).as("exactly what there was").isEqualTo(100);
		assertThat(admitted).allSatisfy((ticket) -> assertThat(ticket.maxTokens()).isBetween(2L, 7L));
		assertThat(admitted.stream().filter(Ticket::clamped).count()).as("at most one got the odd remainder")
			.isLessThanOrEqualTo(1);
		assertThat(counters().get("spend:tenant:" + this.tenantId).block())
			.isEqualTo(Cost.units(new BigDecimal("100")));
	}

	@Test
	void parallelOverdraftsNeverSpendBeyondTheLimit() {
		KeyGrant grant = grant("20", null, null, null);
		GroupView group = group(BillingMode.BALANCE, AdmissionPolicy.OVERDRAFT);
		install(grant, group, "0", List.of(), Map.of());
		List<Ticket> admitted = admitInParallel(admission(AdmissionPolicy.CLAMP, "4"),
				otherNode(AdmissionPolicy.CLAMP, "4"), request(grant, group, 3), 60);
		long reserved = admitted.stream().mapToLong(Ticket::maxTokens).sum();
		assertThat(reserved).as("beyond the 20 left, never beyond the overdraft of 4")
			.isGreaterThan(20)
			.isLessThanOrEqualTo(24);
		// each cost one more than it reserved: charged while the overdraft lasts
		BigDecimal charged = Flux.fromIterable(admitted)
			.flatMap((ticket) -> ticket.settle(cost(ticket.maxTokens() + 1), TokenCounts.ZERO))
			.map(Cost::charged)
			.reduce(BigDecimal.ZERO, BigDecimal::add)
			.block();
		assertThat(charged).isLessThanOrEqualTo(new BigDecimal("24")).isGreaterThan(BigDecimal.valueOf(reserved));
		assertThat(counters().get("spend:tenant:" + this.tenantId).block()).isEqualTo(Cost.units(charged));
	}

	private static AdmissionRefused refused(Mono<Ticket> admit) {
		try {
			admit.block(Duration.ofSeconds(30));
			throw new AssertionError("admitted");
		}
		catch (AdmissionRefused ex) {
			return ex;
		}
	}

	/** Admits in parallel, alternating between two admissions (nodes). */
	private static List<Ticket> admitInParallel(Admission node, Admission otherNode, AdmissionRequest request,
			int count) {
		ConcurrentLinkedQueue<Ticket> admitted = new ConcurrentLinkedQueue<>();
		Flux.range(0, count)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> ((i % 2 == 0) ? node : otherNode).admit(request)
				.onErrorResume(AdmissionRefused.class, (ex) -> Mono.empty()))
			.doOnNext(admitted::add)
			.sequential()
			.blockLast(Duration.ofSeconds(30));
		return new ArrayList<>(admitted);
	}

	private static List<Ticket> admitInParallel(Admission admission, AdmissionRequest request, int count) {
		ConcurrentLinkedQueue<Ticket> admitted = new ConcurrentLinkedQueue<>();
		Flux.range(0, count)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> admission.admit(request).onErrorResume(AdmissionRefused.class, (ex) -> Mono.empty()))
			.doOnNext(admitted::add)
			.sequential()
			.blockLast(Duration.ofSeconds(30));
		return new ArrayList<>(admitted);
	}

}
