package io.tollgate.billing.usage;

import java.util.Map;

/**
 * The poison record on the embedded default: an H2 file database in the data directory.
 */
class UsagePoisonH2Tests extends UsagePoisonTests {

	@Override
	Map<String, Object> database() {
		return Map.of();
	}

}
