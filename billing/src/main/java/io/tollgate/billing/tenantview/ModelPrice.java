package io.tollgate.billing.tenantview;

import java.math.BigDecimal;

/**
 * What a model costs a tenant in one of its groups: list prices per million tokens times
 * the group's multiplier.
 *
 * @param groupName the group
 * @param modelPattern the model or model pattern priced
 * @param input uncached input per million tokens
 * @param output output per million tokens
 * @param cacheWrite5m five-minute cache writes per million tokens
 * @param cacheWrite1h one-hour cache writes per million tokens
 * @param cacheRead cache reads per million tokens
 */
public record ModelPrice(String groupName, String modelPattern, BigDecimal input, BigDecimal output,
		BigDecimal cacheWrite5m, BigDecimal cacheWrite1h, BigDecimal cacheRead) {

}
