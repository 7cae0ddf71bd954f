package io.tollgate.billing.usage;

import java.util.HashMap;
import java.util.Map;

import io.tollgate.billing.testsupport.ExternalServices;

/** The intent columns on PostgreSQL, in a database of its own. */
class UsageIntentPostgresIntegrationTests extends UsageIntentTests {

	@Override
	Map<String, Object> database() {
		Map<String, Object> properties = new HashMap<>();
		ExternalServices.freshPostgresDatabase().register((name, value) -> properties.put(name, value.get()));
		return properties;
	}

}
