package io.tollgate.billing.admission;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.tollgate.billing.admission.Ticket.Reservation;
import io.tollgate.billing.admission.Ticket.TokenLimit;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.PermitScope;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.DirectorySnapshot;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.SpendBaseline.TenantSpend;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.directory.SubscriptionView;
import io.tollgate.billing.directory.TenantView;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.Price;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Decides whether a request may go upstream, from the in-memory directory and the shared
 * counters only (never the database), in this order: requests per minute, tokens per
 * minute, the key's spend quota, the subscription window or the balance, and last the
 * concurrency permits of the key and the tenant, waited for within a bound.
 * <p>
 * Spend is reserved, not merely checked: an upper bound of the request's cost is added
 * atomically to each spend counter it counts against, refused if that would cross the
 * counter's ceiling, and replaced by the actual cost when the request ends
 * ({@link Ticket#settle}). So parallel requests, on one node or many sharing Redis, can
 * never together spend more than the ceiling allows.
 * <p>
 * The counters hold cumulative spend in units of 10<sup>-10</sup>: a tenant's usage
 * charged to its balance (ceiling: balance plus that usage, as of the directory, minus
 * the reserve), a key's spend (ceiling: its quota), a subscription's spend in each
 * current calendar window (ceiling: the plan's limit). A missing counter is rebuilt from
 * the directory's {@link SpendBaseline}; since a balance plus its charged usage changes
 * only with top-ups, adjustments and refunds, a directory reload after such a posting
 * raises the ceiling without counting in-flight or unwritten usage twice.
 */
public class Admission {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final Supplier<DirectorySnapshot> directory;

	private final Permits permits;

	private final RateLimits rateLimits;

	private final Counters counters;

	private final BigDecimal reserve;

	private final Duration concurrencyWait;

	/**
	 * @param directory the in-memory configuration
	 * @param permits concurrency permits
	 * @param rateLimits request and token rate limits
	 * @param counters spend counters
	 * @param reserve the least a balance must keep above what may be spent
	 * @param concurrencyWait longest wait for a concurrency permit
	 */
	public Admission(Directory directory, Permits permits, RateLimits rateLimits, Counters counters, BigDecimal reserve,
			Duration concurrencyWait) {
		this(directory::snapshot, permits, rateLimits, counters, reserve, concurrencyWait);
	}

	/**
	 * An admission reading whatever snapshot the supplier gives.
	 * @param directory the current directory snapshot
	 * @param permits concurrency permits
	 * @param rateLimits request and token rate limits
	 * @param counters spend counters
	 * @param reserve the least a balance must keep above what may be spent
	 * @param concurrencyWait longest wait for a concurrency permit
	 */
	public Admission(Supplier<DirectorySnapshot> directory, Permits permits, RateLimits rateLimits, Counters counters,
			BigDecimal reserve, Duration concurrencyWait) {
		this.directory = directory;
		this.permits = permits;
		this.rateLimits = rateLimits;
		this.counters = counters;
		this.reserve = reserve;
		this.concurrencyWait = concurrencyWait;
	}

	/**
	 * Admits a request or refuses it with {@link AdmissionRefused}.
	 * @param request the request
	 * @return its ticket, to settle or cancel exactly once
	 */
	public Mono<Ticket> admit(AdmissionRequest request) {
		DirectorySnapshot snapshot = this.directory.get();
		KeyGrant grant = request.grant();
		TenantView tenant = grant.tenant();
		TenantSpend tenantSpend = snapshot.spend().tenants().get(tenant.id());
		Integer rpm = (grant.rpmLimit() != null) ? grant.rpmLimit() : tenant.defaultRpm();
		Integer tpm = (grant.tpmLimit() != null) ? grant.tpmLimit()
				: (tenantSpend != null) ? tenantSpend.defaultTpm() : null;
		TokenLimit tokenLimit = (tpm != null) ? new TokenLimit("tpm:key:" + grant.keyId(), tpm) : null;
		long estimate = estimate(snapshot, request);
		return requestsPerMinute(grant, rpm).then(tokensPerMinute(tokenLimit))
			.then(reserve(snapshot, request, estimate))
			.flatMap((spend) -> permit(grant, tenant, tenantSpend)
				.map((permit) -> new Ticket(permit.orElse(null), spend.reservations(), spend.chargedTo(),
						spend.subscriptionId(), this.counters, this.rateLimits, tokenLimit))
				.onErrorResume((ex) -> {
					// refused a permit: give the spend back
					new Ticket(null, spend.reservations(), spend.chargedTo(), null, this.counters, this.rateLimits,
							null)
						.cancel();
					return Mono.error(ex);
				}));
	}

	/**
	 * Whether the request's payer could pay anything now, keeping nothing: the
	 * subscription window, balance and quota checks of {@link #admit} for the smallest
	 * amount, given straight back, for requests that cost nothing themselves
	 * ({@code count_tokens}).
	 * @param request the request
	 * @return completion, or {@link AdmissionRefused}
	 */
	public Mono<Void> check(AdmissionRequest request) {
		return reserve(this.directory.get(), request, 1).flatMapMany((spend) -> Flux.fromIterable(spend.reservations()))
			.concatMap((reservation) -> this.counters.add(reservation.counter(), -reservation.units(), null))
			.then();
	}

	/** An upper bound of the request's charged cost, in counter units. */
	private static long estimate(DirectorySnapshot snapshot, AdmissionRequest request) {
		Optional<Price> price = snapshot.prices().priceOf(request.upstreamModel(), request.at());
		if (price.isEmpty()) {
			return 0;
		}
		Price p = price.get();
		BigDecimal inputPrice = p.input().max(p.cacheWrite5m()).max(p.cacheWrite1h()).max(p.cacheRead());
		Price bound = new Price(p.id(), p.modelPattern(), inputPrice, p.output(), inputPrice, inputPrice, inputPrice,
				p.effectiveFrom());
		TokenCounts tokens = new TokenCounts(request.inputTokenBound(), request.maxOutputTokens(), 0, 0, 0);
		return Cost.units(Cost.of(bound, tokens, request.group().multiplier()).charged());
	}

	private Mono<Void> requestsPerMinute(KeyGrant grant, Integer rpm) {
		if (rpm == null) {
			return Mono.empty();
		}
		return this.rateLimits.tryConsume("rpm:key:" + grant.keyId(), rpm, MINUTE, 1)
			.flatMap((decision) -> decision.allowed() ? Mono.empty()
					: Mono.error(AdmissionRefused.rateLimited("requests per minute", decision.retryAfter())));
	}

	private Mono<Void> tokensPerMinute(TokenLimit limit) {
		if (limit == null) {
			return Mono.empty();
		}
		return this.rateLimits.check(limit.scope(), limit.limit(), MINUTE)
			.flatMap((decision) -> decision.allowed() ? Mono.empty()
					: Mono.error(AdmissionRefused.rateLimited("tokens per minute", decision.retryAfter())));
	}

	private Mono<Spend> reserve(DirectorySnapshot snapshot, AdmissionRequest request, long estimate) {
		KeyGrant grant = request.grant();
		Mono<List<Reservation>> quota = Mono.just(List.of());
		if (grant.spendQuota() != null) {
			String counter = "spend:key:" + grant.keyId();
			BigDecimal spent = snapshot.spend().keySpent().getOrDefault(grant.keyId(), BigDecimal.ZERO);
			quota = take(counter, Cost.units(spent), estimate, Cost.units(grant.spendQuota()), null)
				.map((reservation) -> List.of(reservation))
				.switchIfEmpty(Mono.error(AdmissionRefused::quotaSpent));
		}
		return quota.flatMap((keyReservations) -> payer(snapshot, request, estimate).map((spend) -> {
			List<Reservation> all = new ArrayList<>(spend.reservations());
			all.addAll(keyReservations);
			return new Spend(all, spend.chargedTo(), spend.subscriptionId());
		}).onErrorResume((ex) -> {
			keyReservations.forEach((r) -> this.counters.add(r.counter(), -r.units(), null).subscribe());
			return Mono.error(ex);
		}));
	}

	/** Reserves in the subscription's windows, or the balance. */
	private Mono<Spend> payer(DirectorySnapshot snapshot, AdmissionRequest request, long estimate) {
		if (request.group().billingMode() != BillingMode.SUBSCRIPTION) {
			return balance(snapshot, request, estimate);
		}
		SubscriptionView subscription = snapshot.spend()
			.subscriptions()
			.getOrDefault(request.grant().tenant().id(), List.of())
			.stream()
			.filter((s) -> s.groupId() == request.group().id() && s.activeAt(request.at()))
			.findFirst()
			.orElse(null);
		if (subscription == null) {
			return request.group().balanceFallback() ? balance(snapshot, request, estimate)
					: Mono.error(AdmissionRefused.noSubscription());
		}
		return windows(snapshot, subscription, request.at(), estimate, 0, new ArrayList<>()).onErrorResume(
				AdmissionRefused.class,
				(ex) -> (ex.reason() == AdmissionRefused.Reason.WINDOW_SPENT && request.group().balanceFallback())
						? balance(snapshot, request, estimate) : Mono.error(ex));
	}

	private Mono<Spend> windows(DirectorySnapshot snapshot, SubscriptionView subscription, Instant at, long estimate,
			int index, List<Reservation> taken) {
		SpendWindow[] windows = SpendWindow.values();
		if (index == windows.length) {
			return Mono.just(new Spend(List.copyOf(taken), ChargedTo.SUBSCRIPTION, subscription.id()));
		}
		SpendWindow window = windows[index];
		BigDecimal limit = subscription.limit(window);
		if (limit == null) {
			return windows(snapshot, subscription, at, estimate, index + 1, taken);
		}
		String key = window.key(subscription.id(), at);
		long baseline = Cost.units(snapshot.spend().windowSpent().getOrDefault(key, BigDecimal.ZERO));
		Duration ttl = Duration.between(at, window.end(at)).plusDays(1);
		return take("spend:sub:" + key, baseline, estimate, Cost.units(limit), ttl).flatMap((reservation) -> {
			taken.add(reservation);
			return windows(snapshot, subscription, at, estimate, index + 1, taken);
		}).switchIfEmpty(Mono.defer(() -> {
			taken.forEach((r) -> this.counters.add(r.counter(), -r.units(), null).subscribe());
			return Mono.error(AdmissionRefused.windowSpent(subscription.planName(),
					window.name().toLowerCase(java.util.Locale.ROOT), Duration.between(at, window.end(at))));
		}));
	}

	private Mono<Spend> balance(DirectorySnapshot snapshot, AdmissionRequest request, long estimate) {
		TenantView tenant = request.grant().tenant();
		TenantSpend spend = snapshot.spend().tenants().get(tenant.id());
		BigDecimal charged = (spend != null) ? spend.usageCharged() : BigDecimal.ZERO;
		BigDecimal ceiling = tenant.balance().add(charged).subtract(this.reserve);
		if (ceiling.signum() < 0) {
			return Mono.error(AdmissionRefused.noBalance());
		}
		return take("spend:tenant:" + tenant.id(), Cost.units(charged), estimate, Cost.units(ceiling), null)
			.map((reservation) -> new Spend(List.of(reservation), ChargedTo.BALANCE, null))
			.switchIfEmpty(Mono.error(AdmissionRefused::noBalance));
	}

	/**
	 * Adds to a spend counter within its ceiling, rebuilding it first if it is missing.
	 * Empty when the ceiling would be crossed.
	 */
	private Mono<Reservation> take(String counter, long baseline, long units, long ceiling, Duration ttl) {
		return this.counters.setIfAbsent(counter, baseline, ttl)
			.then(this.counters.addWithin(counter, units, ceiling, ttl))
			.map((value) -> new Reservation(counter, units));
	}

	private Mono<Optional<io.tollgate.billing.coordination.Permit>> permit(KeyGrant grant, TenantView tenant,
			TenantSpend tenantSpend) {
		List<PermitScope> scopes = new ArrayList<>(2);
		Integer keyLimit = (grant.concurrencyLimit() != null) ? grant.concurrencyLimit() : tenant.defaultConcurrency();
		if (keyLimit != null) {
			scopes.add(new PermitScope("key:" + grant.keyId(), keyLimit));
		}
		if (tenantSpend != null && tenantSpend.maxConcurrency() != null) {
			scopes.add(new PermitScope("tenant:" + tenant.id(), tenantSpend.maxConcurrency()));
		}
		if (scopes.isEmpty()) {
			return Mono.just(Optional.empty());
		}
		return this.permits.acquire(scopes, this.concurrencyWait)
			.map(Optional::of)
			.switchIfEmpty(Mono.error(AdmissionRefused::concurrency));
	}

	/**
	 * What a request reserved and who pays.
	 *
	 * @param reservations the spend reserved
	 * @param chargedTo what pays
	 * @param subscriptionId the paying subscription, or {@code null}
	 */
	private record Spend(List<Reservation> reservations, ChargedTo chargedTo, Long subscriptionId) {
	}

}
