package io.tollgate.billing.usage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Usage that cannot be stored, kept aside instead of blocking everyone else's: a request
 * whose record the database refuses, or a journal entry that cannot be read. Each is kept
 * once per request id with the reason, counted in {@code tollgate.usage.quarantined} (tag
 * {@code cause}: {@code rejected} or {@code unreadable}), and listed for admins. What is
 * written here is plain ASCII, so that the quarantine itself cannot be poisoned.
 */
public class UsageQuarantine {

	private static final Logger logger = LoggerFactory.getLogger(UsageQuarantine.class);

	private static final int REQUEST_ID_LENGTH = 255;

	private static final int REASON_LENGTH = 1000;

	private static final String INSERT = """
			INSERT INTO usage_quarantine (request_id, event_json, reason) VALUES (:id, :json, :reason)
			ON CONFLICT DO NOTHING""";

	private static final String SEEN_AGAIN = """
			UPDATE usage_quarantine SET attempts = attempts + 1, last_seen = CURRENT_TIMESTAMP, reason = :reason
			WHERE request_id = :id""";

	private final DatabaseClient db;

	private final Counter rejected;

	private final Counter unreadable;

	public UsageQuarantine(DatabaseClient db, MeterRegistry meters) {
		this.db = db;
		this.rejected = Counter.builder("tollgate.usage.quarantined")
			.description("Finished requests whose usage could not be stored, kept in the quarantine")
			.tag("cause", "rejected")
			.register(meters);
		this.unreadable = Counter.builder("tollgate.usage.quarantined")
			.description("Finished requests whose usage could not be stored, kept in the quarantine")
			.tag("cause", "unreadable")
			.register(meters);
	}

	/**
	 * Keeps a request the database refused.
	 * @param event the request
	 * @param eventJson the request as JSON
	 * @param reason why it was refused
	 * @return completion, once it is stored
	 */
	public Mono<Void> rejected(UsageEvent event, String eventJson, String reason) {
		String id = (event.requestId() != null) ? event.requestId() : "unknown:" + digest(eventJson);
		return keep(id, eventJson, reason, this.rejected);
	}

	/**
	 * Keeps a journal entry that cannot be read.
	 * @param raw the entry's text
	 * @param reason why it cannot be read
	 * @return completion, once it is stored
	 */
	public Mono<Void> unreadable(String raw, String reason) {
		return keep("unreadable:" + digest(raw), raw, "unreadable journal entry: " + reason, this.unreadable);
	}

	private Mono<Void> keep(String requestId, String json, String reason, Counter counter) {
		String id = truncate(ascii(requestId), REQUEST_ID_LENGTH);
		String why = truncate(ascii(reason), REASON_LENGTH);
		return this.db.sql(INSERT)
			.bind("id", id)
			.bind("json", ascii(json))
			.bind("reason", why)
			.fetch()
			.rowsUpdated()
			.flatMap((inserted) -> {
				if (inserted > 0) {
					counter.increment();
					logger.error("Usage of request {} quarantined: {}", id, why);
					return Mono.<Void>empty();
				}
				logger.warn("Usage of request {} quarantined again: {}", id, why);
				return this.db.sql(SEEN_AGAIN).bind("id", id).bind("reason", why).then();
			});
	}

	/**
	 * One page of the quarantine, most recently quarantined first.
	 * @param page zero-based page
	 * @param size page size
	 * @return the entries
	 */
	public Mono<List<QuarantinedUsage>> page(int page, int size) {
		return this.db.sql("SELECT * FROM usage_quarantine ORDER BY id DESC LIMIT :limit OFFSET :offset")
			.bind("limit", size)
			.bind("offset", (long) page * size)
			.map((row) -> new QuarantinedUsage(row.get("id", Long.class), row.get("request_id", String.class),
					row.get("event_json", String.class), row.get("reason", String.class), instant(row, "first_seen"),
					instant(row, "last_seen"), row.get("attempts", Integer.class)))
			.all()
			.collectList();
	}

	/**
	 * How many requests are in the quarantine.
	 * @return the count
	 */
	public Mono<Long> count() {
		return this.db.sql("SELECT COUNT(*) FROM usage_quarantine").map((row) -> row.get(0, Long.class)).one();
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** Escapes what is not printable ASCII, as JSON would. */
	static String ascii(String text) {
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean plain = c >= 0x20 && c < 0x7f;
			if (!plain && out == null) {
				out = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (out != null) {
				if (plain) {
					out.append(c);
				}
				else {
					out.append(String.format("\\u%04x", (int) c));
				}
			}
		}
		return (out != null) ? out.toString() : text;
	}

	private static String truncate(String text, int length) {
		return (text.length() <= length) ? text : text.substring(0, length);
	}

	private static String digest(String text) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
