package io.tollgate.billing.price;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost arithmetic for every token kind, multiplier and price version, in exact decimal.
 */
class CostTests {

	private static final Price OLD = new Price(1, "claude-sonnet-4*", new BigDecimal("3"), new BigDecimal("15"),
			new BigDecimal("3.75"), new BigDecimal("6"), new BigDecimal("0.30"), Instant.parse("2025-01-01T00:00:00Z"));

	private static final Price NEW = new Price(2, "claude-sonnet-4*", new BigDecimal("2"), new BigDecimal("10"),
			new BigDecimal("2.5"), new BigDecimal("4"), new BigDecimal("0.2"), Instant.parse("2026-01-01T00:00:00Z"));

	private static final Price EXACT = new Price(3, "claude-sonnet-4-5", new BigDecimal("1"), new BigDecimal("1"),
			new BigDecimal("1"), new BigDecimal("1"), new BigDecimal("1"), Instant.parse("2025-06-01T00:00:00Z"));

	@Test
	void eachTokenKindIsPricedAtItsOwnRate() {
		assertThat(OLD.cost(new TokenCounts(1, 0, 0, 0, 0))).isEqualByComparingTo("0.000003");
		assertThat(OLD.cost(new TokenCounts(0, 1, 0, 0, 0))).isEqualByComparingTo("0.000015");
		assertThat(OLD.cost(new TokenCounts(0, 0, 1, 0, 0))).isEqualByComparingTo("0.00000375");
		assertThat(OLD.cost(new TokenCounts(0, 0, 0, 1, 0))).isEqualByComparingTo("0.000006");
		assertThat(OLD.cost(new TokenCounts(0, 0, 0, 0, 1))).isEqualByComparingTo("0.0000003");
		// 1000*3 + 2000*15 + 100*3.75 + 200*6 + 3000*0.30 = 35475 per million
		assertThat(OLD.cost(new TokenCounts(1000, 2000, 100, 200, 3000))).isEqualByComparingTo("0.035475");
	}

	@Test
	void theMultiplierAppliesExactlyWithoutFloatingPoint() {
		Cost cost = Cost.of(OLD, new TokenCounts(1000, 2000, 100, 200, 3000), new BigDecimal("1.5"));
		assertThat(cost.listCost()).isEqualByComparingTo("0.035475");
		assertThat(cost.charged()).isEqualByComparingTo("0.0532125").hasScaleOf(Price.SCALE);
		assertThat(cost.priceId()).isEqualTo(1L);
		Cost third = Cost.of(OLD, new TokenCounts(1, 0, 0, 0, 0), new BigDecimal("0.333333"));
		assertThat(third.charged()).isEqualByComparingTo("0.0000010000");
		assertThat(Cost.units(new BigDecimal("0.0532125"))).isEqualTo(532_125_000L);
		assertThat(Cost.units(new BigDecimal("0.00000000001"))).as("rounded up").isEqualTo(1L);
		assertThat(Cost.money(532_125_000L)).isEqualByComparingTo("0.0532125");
	}

	@Test
	void usageIsPricedAtTheVersionInEffectWhenItStartedAndTheMostSpecificPattern() {
		PriceBook book = new PriceBook(List.of(NEW, OLD, EXACT));
		TokenCounts tokens = new TokenCounts(1_000_000, 0, 0, 0, 0);
		assertThat(book.priceOf("claude-sonnet-4-6", Instant.parse("2025-12-31T23:59:59Z")).orElseThrow().id())
			.isEqualTo(1);
		assertThat(book.priceOf("claude-sonnet-4-6", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow().cost(tokens))
			.isEqualByComparingTo("2");
		assertThat(book.priceOf("claude-sonnet-4-5", Instant.parse("2026-02-01T00:00:00Z")).orElseThrow().id())
			.as("exact beats glob")
			.isEqualTo(3);
		assertThat(book.priceOf("claude-sonnet-4-5", Instant.parse("2025-02-01T00:00:00Z")).orElseThrow().id())
			.as("before the exact price existed")
			.isEqualTo(1);
		assertThat(book.priceOf("claude-sonnet-4-6", Instant.parse("2024-12-31T00:00:00Z"))).isEmpty();
	}

	@Test
	void anUnpricedModelIsRefusedUnlessADefaultIsConfigured() {
		assertThat(new PriceBook(List.of(OLD)).priceOf("gpt-9", Instant.now())).isEmpty();
		Price fallback = new Price(0, "*", new BigDecimal("10"), new BigDecimal("30"), BigDecimal.ZERO, BigDecimal.ZERO,
				BigDecimal.ZERO, Instant.EPOCH);
		PriceBook book = new PriceBook(List.of(OLD), fallback);
		Cost cost = Cost.of(book.priceOf("gpt-9", Instant.now()).orElseThrow(), new TokenCounts(100, 100, 0, 0, 0),
				BigDecimal.ONE);
		assertThat(cost.charged()).isEqualByComparingTo("0.004");
		assertThat(cost.priceId()).as("the default is no stored version").isNull();
		assertThat(book.priceOf("claude-sonnet-4-5", Instant.now()).orElseThrow().id()).isEqualTo(1);
	}

}
