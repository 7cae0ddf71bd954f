package io.tollgate.billing.price;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * All price versions. A model's price at an instant is the version, among those of the
 * most specific matching pattern that is already in effect, with the latest
 * {@code effectiveFrom} not after that instant; so old usage keeps its old price. A model
 * no pattern matches has no price: it is refused, never billed at zero, unless an
 * explicit default price is configured, which then applies to it.
 */
public final class PriceBook {

	private static final Comparator<Price> ORDER = Comparator.comparingInt(Price::specificity)
		.reversed()
		.thenComparing(Price::effectiveFrom, Comparator.reverseOrder());

	private final List<Price> prices;

	private final Optional<Price> fallback;

	public PriceBook(List<Price> prices) {
		this(prices, null);
	}

	/**
	 * A price book with a default for models no pattern matches.
	 * @param prices the price versions
	 * @param fallback the configured default price, or {@code null} to refuse unpriced
	 * models
	 */
	public PriceBook(List<Price> prices, Price fallback) {
		this.prices = prices.stream().sorted(ORDER).toList();
		this.fallback = Optional.ofNullable(fallback);
	}

	/**
	 * The price of a model at an instant.
	 * @param model the upstream model
	 * @param at when the request started
	 * @return the price (the configured default when no pattern matches), or empty when
	 * the model is not priced
	 */
	public Optional<Price> priceOf(String model, Instant at) {
		for (Price price : this.prices) {
			if (price.matches(model) && !price.effectiveFrom().isAfter(at)) {
				return Optional.of(price);
			}
		}
		return this.fallback;
	}

	public List<Price> all() {
		return this.prices;
	}

}
