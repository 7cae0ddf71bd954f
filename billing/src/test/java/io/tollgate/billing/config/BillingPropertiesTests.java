package io.tollgate.billing.config;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class BillingPropertiesTests {

	private static BillingProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tollgate.billing",
				BillingProperties.class);
	}

	@Test
	void unpricedModelsAreRefusedByDefault() {
		BillingProperties properties = bind(Map.of());
		assertThat(properties.fallbackPrice()).isNull();
		assertThat(properties.balanceReserve()).isZero();
		assertThat(properties.concurrencyWait()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.journal()).isTrue();
	}

	@Test
	void anExplicitDefaultPriceNeedsInputAndOutput() {
		BillingProperties properties = bind(Map.of("tollgate.billing.default-price.input", "2",
				"tollgate.billing.default-price.output", "8", "tollgate.billing.default-price.cache-write-5m", "2.5",
				"tollgate.billing.default-price.cache-read", "0.2", "tollgate.billing.balance-reserve", "-5"));
		assertThat(properties.fallbackPrice().input()).isEqualByComparingTo("2");
		assertThat(properties.fallbackPrice().output()).isEqualByComparingTo("8");
		assertThat(properties.fallbackPrice().cacheWrite5m()).isEqualByComparingTo("2.5");
		assertThat(properties.fallbackPrice().cacheWrite1h()).isZero();
		assertThat(properties.fallbackPrice().cacheRead()).isEqualByComparingTo("0.2");
		assertThat(properties.balanceReserve()).isEqualByComparingTo("-5");
		assertThat(bind(Map.of("tollgate.billing.default-price.input", "2")).fallbackPrice())
			.as("half a price is no price")
			.isNull();
	}

}
