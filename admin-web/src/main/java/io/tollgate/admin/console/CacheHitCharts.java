package io.tollgate.admin.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.CacheHits;
import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The prompt-cache hit rate panel of the dashboard, tenant and account pages: cache-read
 * tokens over cacheable input (input, cache writes, cache reads) per day as a chart, and
 * broken down by tenant, group, account or model. It is what shows whether sticky routing
 * keeps the caches warm.
 */
@Component
@ConsoleEnabled
class CacheHitCharts {

	static final int DAYS = 14;

	private static final int ROWS = 5;

	private final UsageQueries usage;

	CacheHitCharts(UsageQueries usage) {
		this.usage = usage;
	}

	/** Over all usage, broken down by tenant, group, account and model. */
	Mono<Panel> overall(int days) {
		return panel(days, null, null, CacheHits.By.TENANT, CacheHits.By.GROUP, CacheHits.By.ACCOUNT,
				CacheHits.By.MODEL);
	}

	/** Over one tenant's usage, by account and model. */
	Mono<Panel> tenant(long tenantId) {
		return panel(DAYS, tenantId, null, CacheHits.By.ACCOUNT, CacheHits.By.MODEL);
	}

	/** Over what one account served, by tenant and model. */
	Mono<Panel> account(long accountId) {
		return panel(DAYS, null, accountId, CacheHits.By.TENANT, CacheHits.By.MODEL);
	}

	private Mono<Panel> panel(int days, Long tenantId, Long accountId, CacheHits.By... breakdowns) {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate first = today.minusDays(days - 1);
		Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		UsageFilter filter = new UsageFilter(from, to, tenantId, null, null, null, null);
		Mono<Map<String, List<CacheHits>>> tables = Flux.fromArray(breakdowns)
			.concatMap((by) -> this.usage.cacheHits(filter, accountId, by, ROWS).map((rows) -> Map.entry(by, rows)))
			.collectList()
			.map((entries) -> {
				Map<String, List<CacheHits>> byName = new LinkedHashMap<>();
				entries.forEach((entry) -> byName.put(title(entry.getKey()), entry.getValue()));
				return byName;
			});
		return Mono.zip(this.usage.dailyCacheHits(filter, accountId), tables)
			.map((t) -> new Panel(chart(first, days, t.getT1()), total(t.getT1()), t.getT2()));
	}

	private static String chart(LocalDate first, int days, List<CacheHits.Daily> daily) {
		Map<LocalDate, CacheHits.Daily> byDay = new HashMap<>();
		daily.forEach((d) -> byDay.put(d.day(), d));
		List<String> labels = new ArrayList<>(days);
		List<Double> values = new ArrayList<>(days);
		for (int i = 0; i < days; i++) {
			LocalDate day = first.plusDays(i);
			CacheHits.Daily hits = byDay.get(day);
			labels.add(day.toString());
			values.add((hits != null) ? hits.ratio() * 100 : 0.0);
		}
		return Charts.bars("Prompt-cache hit rate per day", labels, values, CacheHitCharts::percent);
	}

	private static String total(List<CacheHits.Daily> daily) {
		long read = daily.stream().mapToLong(CacheHits.Daily::cacheRead).sum();
		long cacheable = daily.stream().mapToLong(CacheHits.Daily::cacheable).sum();
		return percent(new CacheHits("", read, cacheable).ratio() * 100);
	}

	static String percent(double value) {
		return String.format(Locale.ROOT, "%.1f%%", value);
	}

	private static String title(CacheHits.By by) {
		return switch (by) {
			case TENANT -> "Tenant";
			case GROUP -> "Group";
			case ACCOUNT -> "Account";
			case MODEL -> "Model";
		};
	}

	/**
	 * What the panel shows.
	 *
	 * @param chart the daily hit rate, as SVG
	 * @param rate the hit rate over the whole period, formatted
	 * @param breakdowns the top rows per grouping, by its title
	 */
	record Panel(String chart, String rate, Map<String, List<CacheHits>> breakdowns) {

		public String percent(CacheHits hits) {
			return CacheHitCharts.percent(hits.ratio() * 100);
		}

	}

}
