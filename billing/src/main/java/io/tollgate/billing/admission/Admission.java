package io.tollgate.billing.admission;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.tollgate.billing.admission.Ticket.Reservation;
import io.tollgate.billing.admission.Ticket.TokenLimit;
import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.coordination.PermitScope;
import io.tollgate.billing.coordination.Permits;
import io.tollgate.billing.coordination.RateLimits;
import io.tollgate.billing.directory.AdmissionPolicy;
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

	private static final Map<SpendWindow, String> WINDOW_NAMES = Map.of(SpendWindow.DAILY, "in today's window",
			SpendWindow.WEEKLY, "in this week's window", SpendWindow.MONTHLY, "in this month's window");

	private static final Map<AdmissionRefused.Reason, String> LIMIT_NAMES = Map.of(AdmissionRefused.Reason.NO_BALANCE,
			"balance", AdmissionRefused.Reason.QUOTA_SPENT, "quota", AdmissionRefused.Reason.WINDOW_SPENT, "window");

	private final Supplier<DirectorySnapshot> directory;

	private final Permits permits;

	private final RateLimits rateLimits;

	private final Counters counters;

	private final BigDecimal reserve;

	private final Duration concurrencyWait;

	private final AdmissionDefaults defaults;

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
		this(directory::snapshot, permits, rateLimits, counters, reserve, concurrencyWait, AdmissionDefaults.STANDARD);
	}

	/**
	 * @param directory the in-memory configuration
	 * @param permits concurrency permits
	 * @param rateLimits request and token rate limits
	 * @param counters spend counters
	 * @param reserve the least a balance must keep above what may be spent
	 * @param concurrencyWait longest wait for a concurrency permit
	 * @param defaults the admission policy of groups and tenants without their own
	 */
	public Admission(Directory directory, Permits permits, RateLimits rateLimits, Counters counters, BigDecimal reserve,
			Duration concurrencyWait, AdmissionDefaults defaults) {
		this(directory::snapshot, permits, rateLimits, counters, reserve, concurrencyWait, defaults);
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
		this(directory, permits, rateLimits, counters, reserve, concurrencyWait, AdmissionDefaults.STANDARD);
	}

	/**
	 * An admission reading whatever snapshot the supplier gives.
	 * @param directory the current directory snapshot
	 * @param permits concurrency permits
	 * @param rateLimits request and token rate limits
	 * @param counters spend counters
	 * @param reserve the least a balance must keep above what may be spent
	 * @param concurrencyWait longest wait for a concurrency permit
	 * @param defaults the admission policy of groups and tenants without their own
	 */
	public Admission(Supplier<DirectorySnapshot> directory, Permits permits, RateLimits rateLimits, Counters counters,
			BigDecimal reserve, Duration concurrencyWait, AdmissionDefaults defaults) {
		this.defaults = defaults;
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
		Need need = need(snapshot, request, tenantSpend);
		return requestsPerMinute(grant, rpm).then(tokensPerMinute(tokenLimit))
			.then(reserve(snapshot, request, need))
			.flatMap((spend) -> permit(grant, tenant, tenantSpend)
				.map((permit) -> new Ticket(permit.orElse(null), spend.reservations(), spend.chargedTo(),
						spend.subscriptionId(), this.counters, this.rateLimits, tokenLimit,
						new Ticket.Terms(need.policy(), request.maxOutputTokens(), spend.maxTokens(), spend.overdraft(),
								spend.limitedBy())))
				.onErrorResume((ex) -> {
					// refused a permit: give the spend back
					new Ticket(null, spend.reservations(), spend.chargedTo(), null, this.counters, this.rateLimits,
							null, null)
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
		Need need = new Need(AdmissionPolicy.STRICT, 1, 1, 0, CostBound.of(null, 0, BigDecimal.ONE), 0, 0);
		return reserve(this.directory.get(), request, need)
			.flatMapMany((spend) -> Flux.fromIterable(spend.reservations()))
			.concatMap((reservation) -> this.counters.add(reservation.counter(), -reservation.units(), null))
			.then();
	}

	/** What the request needs under its group's policy. */
	private Need need(DirectorySnapshot snapshot, AdmissionRequest request, TenantSpend tenantSpend) {
		Price price = snapshot.prices().priceOf(request.upstreamModel(), request.at()).orElse(null);
		CostBound bound = CostBound.of(price, request.inputTokenBound(), request.group().multiplier());
		AdmissionPolicy policy = (request.group().admissionPolicy() != null) ? request.group().admissionPolicy()
				: this.defaults.policy();
		long maxTokens = request.maxOutputTokens();
		long full = bound.units(maxTokens);
		if (policy == AdmissionPolicy.STRICT) {
			return new Need(policy, full, full, 0, bound, maxTokens, maxTokens);
		}
		long floor = Math.min(this.defaults.floorTokens(), maxTokens);
		long overdraft = 0;
		if (policy == AdmissionPolicy.OVERDRAFT) {
			BigDecimal limit = (tenantSpend != null && tenantSpend.overdraftLimit() != null)
					? tenantSpend.overdraftLimit() : this.defaults.overdraftLimit();
			overdraft = Cost.units(limit.max(BigDecimal.ZERO));
		}
		return new Need(policy, full, bound.units(floor), overdraft, bound, maxTokens, floor);
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

	/**
	 * Reserves in the key's quota, then the subscription's windows or the balance, each
	 * taking at most what the one before granted; then settles on the {@code max_tokens}
	 * the smallest grant pays for and gives back the rest everywhere.
	 */
	private Mono<Spend> reserve(DirectorySnapshot snapshot, AdmissionRequest request, Need need) {
		KeyGrant grant = request.grant();
		Mono<List<Reservation>> quota = Mono.just(List.of());
		if (grant.spendQuota() != null) {
			BigDecimal spent = snapshot.spend().keySpent().getOrDefault(grant.keyId(), BigDecimal.ZERO);
			Limit limit = new Limit("spend:key:" + grant.keyId(), Cost.units(spent), Cost.units(grant.spendQuota()),
					null, AdmissionRefused.Reason.QUOTA_SPENT, "of this API key's spend quota", null);
			quota = take(limit, need.full(), need).map(List::of);
		}
		return quota.flatMap((keyReservations) -> {
			long want = keyReservations.isEmpty() ? need.full() : keyReservations.get(0).units();
			return payer(snapshot, request, want, need).map((spend) -> {
				List<Reservation> all = new ArrayList<>(spend.reservations());
				all.addAll(keyReservations);
				return new Spend(all, spend.chargedTo(), spend.subscriptionId(), 0, false, null);
			}).onErrorResume((ex) -> giveBack(keyReservations).then(Mono.error(ex)));
		}).flatMap((spend) -> settleOn(spend, need));
	}

	/**
	 * Lowers every reservation to what the smallest grant pays for: the full bound, or
	 * the input and the most output tokens that fit.
	 */
	private Mono<Spend> settleOn(Spend spend, Need need) {
		long granted = spend.reservations().stream().mapToLong(Reservation::units).min().orElse(need.full());
		long maxTokens = need.maxTokens();
		long units = need.full();
		if (granted < need.full()) {
			maxTokens = Math.max(need.floorTokens(), need.bound().maxTokensWithin(granted, need.maxTokens()));
			units = Math.min(granted, need.bound().units(maxTokens));
		}
		long kept = units;
		List<Reservation> lowered = new ArrayList<>(spend.reservations().size());
		boolean overdraft = false;
		Reservation least = null;
		for (Reservation reservation : spend.reservations()) {
			lowered.add(reservation.withUnits(kept));
			overdraft |= need.policy() == AdmissionPolicy.OVERDRAFT
					&& reservation.before() + kept > reservation.ceiling();
			if (least == null || reservation.ceiling() - reservation.before() < least.ceiling() - least.before()) {
				least = reservation;
			}
		}
		Spend settled = new Spend(lowered, spend.chargedTo(), spend.subscriptionId(), maxTokens, overdraft,
				(least != null) ? LIMIT_NAMES.get(least.limit()) : null);
		return Flux.fromIterable(spend.reservations())
			.filter((reservation) -> reservation.units() > kept)
			.concatMap((reservation) -> this.counters.add(reservation.counter(), kept - reservation.units(), null))
			.then(Mono.just(settled));
	}

	/** Reserves in the subscription's windows, or the balance. */
	private Mono<Spend> payer(DirectorySnapshot snapshot, AdmissionRequest request, long want, Need need) {
		if (request.group().billingMode() != BillingMode.SUBSCRIPTION) {
			return balance(snapshot, request, want, need);
		}
		SubscriptionView subscription = snapshot.spend()
			.subscriptions()
			.getOrDefault(request.grant().tenant().id(), List.of())
			.stream()
			.filter((s) -> s.groupId() == request.group().id() && s.activeAt(request.at()))
			.findFirst()
			.orElse(null);
		if (subscription == null) {
			return request.group().balanceFallback() ? balance(snapshot, request, want, need)
					: Mono.error(AdmissionRefused.noSubscription());
		}
		return windows(snapshot, subscription, request.at(), want, need, 0, new ArrayList<>()).onErrorResume(
				AdmissionRefused.class,
				(ex) -> (ex.reason() == AdmissionRefused.Reason.WINDOW_SPENT && request.group().balanceFallback())
						? balance(snapshot, request, want, need) : Mono.error(ex));
	}

	private Mono<Spend> windows(DirectorySnapshot snapshot, SubscriptionView subscription, Instant at, long want,
			Need need, int index, List<Reservation> taken) {
		SpendWindow[] windows = SpendWindow.values();
		if (index == windows.length) {
			return Mono.just(new Spend(List.copyOf(taken), ChargedTo.SUBSCRIPTION, subscription.id(), 0, false, null));
		}
		SpendWindow window = windows[index];
		BigDecimal limit = subscription.limit(window);
		if (limit == null) {
			return windows(snapshot, subscription, at, want, need, index + 1, taken);
		}
		String key = window.key(subscription.id(), at);
		long baseline = Cost.units(snapshot.spend().windowSpent().getOrDefault(key, BigDecimal.ZERO));
		Duration ttl = Duration.between(at, window.end(at)).plusDays(1);
		Limit spendLimit = new Limit("spend:sub:" + key, baseline, Cost.units(limit), ttl,
				AdmissionRefused.Reason.WINDOW_SPENT, WINDOW_NAMES.get(window) + " of plan " + subscription.planName(),
				Duration.between(at, window.end(at)));
		return take(spendLimit, want, need)
			.onErrorResume(AdmissionRefused.class, (ex) -> giveBack(taken).then(Mono.error(ex)))
			.flatMap((reservation) -> {
				taken.add(reservation);
				return windows(snapshot, subscription, at, reservation.units(), need, index + 1, taken);
			});
	}

	private Mono<Spend> balance(DirectorySnapshot snapshot, AdmissionRequest request, long want, Need need) {
		TenantView tenant = request.grant().tenant();
		TenantSpend spend = snapshot.spend().tenants().get(tenant.id());
		BigDecimal charged = (spend != null) ? spend.usageCharged() : BigDecimal.ZERO;
		BigDecimal ceiling = tenant.balance().add(charged).subtract(this.reserve);
		Limit limit = new Limit("spend:tenant:" + tenant.id(), Cost.units(charged),
				(ceiling.signum() < 0) ? -1 : Cost.units(ceiling), null, AdmissionRefused.Reason.NO_BALANCE,
				"on the balance", null);
		if (ceiling.signum() < 0) {
			return Mono.error(AdmissionRefused.shortOf(limit, 0, need.minimum(), need.minimumMaxTokens()));
		}
		return take(limit, want, need)
			.map((reservation) -> new Spend(List.of(reservation), ChargedTo.BALANCE, null, 0, false, null));
	}

	/**
	 * Adds to a spend counter as much of {@code want} as its ceiling (and under the
	 * overdraft policy, the overdraft beyond it) allows, but no less than the request's
	 * minimum, rebuilding the counter first if it is missing.
	 */
	private Mono<Reservation> take(Limit limit, long want, Need need) {
		boolean overdraft = need.policy() == AdmissionPolicy.OVERDRAFT;
		long openBelow = overdraft ? limit.ceiling() : Long.MAX_VALUE;
		long minimum = Math.min(need.minimum(), want);
		return this.counters.setIfAbsent(limit.counter(), limit.baseline(), limit.ttl())
			.then(this.counters.addUpTo(limit.counter(), want, minimum, limit.ceiling() + need.overdraft(), openBelow,
					limit.ttl()))
			.flatMap((taken) -> taken.granted()
					? Mono.just(new Reservation(limit.counter(), taken.added(), limit.ceiling(),
							limit.ceiling() + need.overdraft(), taken.before(), limit.reason()))
					: Mono.error(AdmissionRefused.shortOf(limit, limit.ceiling() - taken.before(), need.minimum(),
							need.minimumMaxTokens())));
	}

	private Mono<Void> giveBack(List<Reservation> reservations) {
		return Flux.fromIterable(List.copyOf(reservations))
			.concatMap((r) -> this.counters.add(r.counter(), -r.units(), null))
			.then();
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
	 * @param maxTokens the {@code max_tokens} the reservation pays for
	 * @param overdraft whether the reservation reaches into an overdraft
	 * @param limitedBy the kind of limit with the least left, or {@code null}
	 */
	private record Spend(List<Reservation> reservations, ChargedTo chargedTo, Long subscriptionId, long maxTokens,
			boolean overdraft, String limitedBy) {
	}

	/**
	 * What a request needs, in counter units.
	 *
	 * @param policy the group's policy
	 * @param full its full bound, at the client's {@code max_tokens}
	 * @param minimum the least it is admitted with
	 * @param overdraft how far beyond each limit it may reserve
	 * @param bound its cost bound
	 * @param maxTokens the client's {@code max_tokens}
	 * @param floorTokens the {@code max_tokens} {@code minimum} pays for
	 */
	private record Need(AdmissionPolicy policy, long full, long minimum, long overdraft, CostBound bound,
			long maxTokens, long floorTokens) {

		/** The {@code max_tokens} the minimum is for, as refusals state it. */
		long minimumMaxTokens() {
			return this.floorTokens;
		}

	}

}
