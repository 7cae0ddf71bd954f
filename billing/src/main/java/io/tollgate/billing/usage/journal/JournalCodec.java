package io.tollgate.billing.usage.journal;

import io.tollgate.billing.usage.UsageEvent;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One usage event as one line of JSON. Every character outside ASCII is escaped, so that
 * a value no database or file encoding can hold (a lone surrogate, a NUL) survives the
 * journal as it was and can be stored, as text, in the quarantine.
 */
public final class JournalCodec {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
		.build();

	/** Resolved once: a writer per call would look the serializer up each time. */
	private static final ObjectWriter WRITER = JSON.writerFor(UsageEvent.class);

	private JournalCodec() {
	}

	/**
	 * The event as journal text.
	 * @param event the event
	 * @return one line of ASCII JSON
	 */
	public static String write(UsageEvent event) {
		return WRITER.writeValueAsString(event);
	}

	/**
	 * The event as one journal line, newline included, in bytes (ASCII).
	 * @param event the event
	 * @return the line's bytes
	 */
	static byte[] writeLine(UsageEvent event) {
		ByteArrayBuilder line = new ByteArrayBuilder(512);
		WRITER.writeValue(line, event);
		line.append('\n');
		return line.toByteArray();
	}

	static UsageEvent read(String line) {
		return JSON.readValue(line, UsageEvent.class);
	}

}
