package io.tollgate.billing.usage.internal;

import java.util.List;

import io.tollgate.billing.usage.UsageEvent;
import io.tollgate.billing.usage.UsageQuarantine;
import io.tollgate.billing.usage.journal.JournalCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Writes a batch of usage so that one record the database can never take does not hold
 * back the others: a batch refused for its data is split in halves and each half written
 * on its own, down to the single record at fault, which goes to the quarantine with the
 * reason. A transient failure (connection lost, deadlock victim, timeout) fails the whole
 * write as it is, for the caller to retry: nothing is quarantined for it.
 */
public class QuarantiningWriter {

	private static final Logger logger = LoggerFactory.getLogger(QuarantiningWriter.class);

	private final UsageWriter writer;

	private final UsageQuarantine quarantine;

	public QuarantiningWriter(UsageWriter writer, UsageQuarantine quarantine) {
		this.writer = writer;
		this.quarantine = quarantine;
	}

	/**
	 * Writes the batch, quarantining the records the database refuses.
	 * @param batch the requests
	 * @return completion once each is written or quarantined; an error only when the
	 * failure was transient
	 */
	public Mono<Void> write(List<UsageEvent> batch) {
		if (batch.isEmpty()) {
			return Mono.empty();
		}
		return Mono.defer(() -> this.writer.write(batch))
			.onErrorResume(DataErrors::isDataError, (ex) -> isolate(batch, ex));
	}

	/**
	 * Quarantines a journal entry that cannot be read.
	 * @param raw its text
	 * @param reason why it cannot be read
	 * @return completion, once it is stored
	 */
	public Mono<Void> unreadable(String raw, String reason) {
		return this.quarantine.unreadable(raw, reason);
	}

	private Mono<Void> isolate(List<UsageEvent> batch, Throwable error) {
		if (batch.size() == 1) {
			UsageEvent event = batch.get(0);
			return Mono
				.defer(() -> this.quarantine.rejected(event, JournalCodec.write(event), DataErrors.reason(error)));
		}
		logger.warn("A batch of {} usage records was refused for its data ({}); writing it in parts to find the "
				+ "record at fault", batch.size(), DataErrors.reason(error));
		int half = batch.size() / 2;
		return write(batch.subList(0, half)).then(Mono.defer(() -> write(batch.subList(half, batch.size()))));
	}

}
