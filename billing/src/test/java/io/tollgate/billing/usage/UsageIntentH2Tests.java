package io.tollgate.billing.usage;

import java.util.Map;

/** The intent columns on the embedded default: an H2 file database. */
class UsageIntentH2Tests extends UsageIntentTests {

	@Override
	Map<String, Object> database() {
		return Map.of();
	}

}
