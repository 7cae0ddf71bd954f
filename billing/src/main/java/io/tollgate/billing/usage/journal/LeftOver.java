package io.tollgate.billing.usage.journal;

import io.tollgate.billing.usage.UsageEvent;

/**
 * An entry an earlier run left in the journal.
 *
 * @param raw the entry's text as the journal holds it
 * @param event the request it describes, or {@code null} when the text cannot be read
 * @param error why the text cannot be read, or {@code null}
 * @param reference the journal's own id for it (a Redis stream entry id), or {@code null}
 */
public record LeftOver(String raw, UsageEvent event, String error, String reference) {

	static LeftOver parse(String raw, String reference) {
		try {
			UsageEvent event = JournalCodec.read(raw);
			if (event == null || event.requestId() == null) {
				return new LeftOver(raw, null, "no request id", reference);
			}
			return new LeftOver(raw, event, null, reference);
		}
		catch (RuntimeException ex) {
			return new LeftOver(raw, null, ex.getClass().getSimpleName() + ": " + ex.getMessage(), reference);
		}
	}

	/** Whether the entry could be read. */
	public boolean readable() {
		return this.event != null;
	}

}
