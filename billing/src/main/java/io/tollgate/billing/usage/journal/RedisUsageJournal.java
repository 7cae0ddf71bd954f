package io.tollgate.billing.usage.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.usage.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The journal of a cluster: a Redis stream shared by the nodes, over the node's existing
 * connection. An entry is added when a request finishes and deleted once the request is
 * in the database; a starting node replays whatever is in the stream, which is harmless
 * for entries another node is still writing, since writing is idempotent by request id.
 */
public final class RedisUsageJournal implements UsageJournal {

	private static final Logger logger = LoggerFactory.getLogger(RedisUsageJournal.class);

	private static final String FIELD = "usage";

	private final RedisReactiveCommands<String, String> commands;

	private final String stream;

	private long sequence;

	private List<String> leftOverIds = List.of();

	private final Set<CompletableFuture<Long>> dropping = ConcurrentHashMap.newKeySet();

	public RedisUsageJournal(RedisConnections redis) {
		this.commands = redis.strings().reactive();
		this.stream = redis.key("journal", "usage");
	}

	@Override
	public synchronized Journaled append(UsageEvent event) {
		Journaled entry = new Journaled(event, ++this.sequence);
		this.commands.xadd(this.stream, Map.of(FIELD, JournalCodec.write(event))).subscribe((id) -> {
			// written before the stream said where it keeps the entry: drop it now
			if (entry.reference(id)) {
				drop(id);
			}
		}, (ex) -> logger.warn("Cannot journal usage of request {}: {}", event.requestId(), ex.toString()));
		return entry;
	}

	@Override
	public void committed(List<Journaled> batch) {
		String[] ids = batch.stream().map(Journaled::commit).filter((id) -> id != null).toArray(String[]::new);
		drop(ids);
	}

	private void drop(String... ids) {
		if (ids.length > 0) {
			CompletableFuture<Long> drop = this.commands.xdel(this.stream, ids)
				.doOnError((ex) -> logger.warn("Cannot drop written usage from the journal: {}", ex.toString()))
				.onErrorResume((ex) -> Mono.empty())
				.toFuture();
			this.dropping.add(drop);
			drop.whenComplete((count, ex) -> this.dropping.remove(drop));
		}
	}

	@Override
	public List<LeftOver> leftOver() {
		List<StreamMessage<String, String>> messages = this.commands.xrange(this.stream, Range.create("-", "+"))
			.collectList()
			.block(Duration.ofMinutes(1));
		List<LeftOver> entries = new ArrayList<>();
		for (StreamMessage<String, String> message : messages) {
			String json = message.getBody().get(FIELD);
			entries.add((json != null) ? LeftOver.parse(json, message.getId())
					: new LeftOver(String.valueOf(message.getBody()), null, "no usage field", message.getId()));
		}
		this.leftOverIds = entries.stream().map(LeftOver::reference).toList();
		return entries;
	}

	/**
	 * Drops replayed entries at once: a long replay does not leave them for the next
	 * start.
	 */
	@Override
	public void replayed(List<LeftOver> entries) {
		String[] ids = entries.stream().map(LeftOver::reference).filter((id) -> id != null).toArray(String[]::new);
		if (ids.length > 0) {
			this.commands.xdel(this.stream, ids).block(Duration.ofMinutes(1));
		}
	}

	@Override
	public void dropLeftOver() {
		if (!this.leftOverIds.isEmpty()) {
			this.commands.xdel(this.stream, this.leftOverIds.toArray(String[]::new)).block(Duration.ofMinutes(1));
		}
	}

	/**
	 * Waits, briefly, for the drops under way, so a stopping node leaves its journal
	 * empty.
	 */
	@Override
	public void close() {
		try {
			CompletableFuture.allOf(this.dropping.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Written usage may stay in the journal (replayed, harmlessly, at the next start): {}",
					ex.toString());
		}
	}

}
