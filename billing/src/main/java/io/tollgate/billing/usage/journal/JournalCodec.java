package io.tollgate.billing.usage.journal;

import io.tollgate.billing.usage.UsageEvent;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** One usage event as one line of JSON. */
final class JournalCodec {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private JournalCodec() {
	}

	static String write(UsageEvent event) {
		return JSON.writeValueAsString(event);
	}

	static UsageEvent read(String line) {
		return JSON.readValue(line, UsageEvent.class);
	}

}
