package io.tollgate.billing.tenantview;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tollgate.billing.coordination.Counters;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.DirectorySnapshot;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.directory.SpendBaseline;
import io.tollgate.billing.directory.SpendWindow;
import io.tollgate.billing.directory.SubscriptionView;
import io.tollgate.billing.price.Cost;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A key's standing from the directory and the live spend counters admission keeps, plus
 * one primary-key read of the key's recorded spend when it has no quota (admission keeps
 * no live counter for those): cheap enough for clients that poll it (status lines do).
 */
public class KeyStandings {

	private final Directory directory;

	private final Counters counters;

	private final DatabaseClient db;

	public KeyStandings(Directory directory, Counters counters, DatabaseClient db) {
		this.directory = directory;
		this.counters = counters;
		this.db = db;
	}

	/** The standing of the key behind an authenticated grant. */
	public Mono<KeyStanding> of(KeyGrant grant) {
		DirectorySnapshot snapshot = this.directory.snapshot();
		Instant now = Instant.now();
		long tenantId = grant.tenant().id();
		SpendBaseline.TenantSpend tenantSpend = snapshot.spend().tenants().get(tenantId);
		BigDecimal charged = (tenantSpend != null) ? tenantSpend.usageCharged() : BigDecimal.ZERO;
		BigDecimal paidIn = grant.tenant().balance().add(charged);
		Mono<BigDecimal> balance = live("spend:tenant:" + tenantId, charged).map(paidIn::subtract);
		BigDecimal keyBaseline = snapshot.spend().keySpent().getOrDefault(grant.keyId(), BigDecimal.ZERO);
		Mono<BigDecimal> keySpent = (grant.spendQuota() != null) ? live("spend:key:" + grant.keyId(), keyBaseline)
				: this.db.sql("SELECT spent FROM api_key WHERE id = :id")
					.bind("id", grant.keyId())
					.map((row) -> row.get("spent", BigDecimal.class))
					.one()
					.defaultIfEmpty(keyBaseline);
		List<SubscriptionView> subscriptions = snapshot.spend().subscriptions().getOrDefault(tenantId, List.of());
		Mono<List<TenantOverview.Window>> windows = Flux.fromIterable(subscriptions)
			.filter((subscription) -> subscription.activeAt(now))
			.concatMap((subscription) -> Flux.fromArray(SpendWindow.values())
				.filter((window) -> subscription.limit(window) != null)
				.concatMap((window) -> {
					String key = window.key(subscription.id(), now);
					return live("spend:sub:" + key, snapshot.spend().windowSpent().getOrDefault(key, BigDecimal.ZERO))
						.map((spent) -> new TenantOverview.Window(subscription.planName(),
								groupName(snapshot, subscription), window.name().toLowerCase(Locale.ROOT),
								subscription.limit(window), spent, window.end(now)));
				}))
			.collectList();
		return Mono.zip(balance, keySpent, windows)
			.map((t) -> new KeyStanding(grant.tenant().name(), t.getT1(), grant.name(), t.getT2(), grant.spendQuota(),
					t.getT3()));
	}

	private Mono<BigDecimal> live(String counter, BigDecimal baseline) {
		// an absent counter reads 0; a present one never falls below the baseline
		return this.counters.get(counter).map(Cost::money).map(baseline::max).defaultIfEmpty(baseline);
	}

	private static String groupName(DirectorySnapshot snapshot, SubscriptionView subscription) {
		var group = snapshot.groups().get(subscription.groupId());
		return (group != null) ? group.name() : null;
	}

}
