package io.tollgate.billing.usage.journal;

import java.time.Duration;
import java.util.List;

import io.tollgate.billing.coordination.internal.RedisConnections;
import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.billing.usage.UsageEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cluster journal on a real Redis stream. */
class RedisUsageJournalIntegrationTests {

	@Test
	void whatWasNotCommittedIsLeftForTheNextNodeToStart() {
		ExternalServices.Redis redis = ExternalServices.redis();
		try (RedisConnections node = new RedisConnections(redis.url(), redis.prefix());
				RedisConnections restarted = new RedisConnections(redis.url(), redis.prefix())) {
			RedisUsageJournal journal = new RedisUsageJournal(node);
			Journaled first = journal.append(FileUsageJournalTests.event("req_1"));
			Journaled second = journal.append(FileUsageJournalTests.event("req_2"));
			await().atMost(Duration.ofSeconds(10)).until(() -> first.reference() != null && second.reference() != null);
			journal.committed(List.of(first));
			await().atMost(Duration.ofSeconds(10)).until(() -> new RedisUsageJournal(restarted).leftOver().size() == 1);
			RedisUsageJournal next = new RedisUsageJournal(restarted);
			List<UsageEvent> left = FileUsageJournalTests.events(next.leftOver());
			assertThat(left).containsExactly(FileUsageJournalTests.event("req_2"));
			next.dropLeftOver();
			assertThat(new RedisUsageJournal(restarted).leftOver()).isEmpty();
		}
	}

	@Test
	void anEntryWrittenBeforeTheStreamAnsweredIsDroppedOnceItAnswers() {
		ExternalServices.Redis redis = ExternalServices.redis();
		try (RedisConnections node = new RedisConnections(redis.url(), redis.prefix())) {
			RedisUsageJournal journal = new RedisUsageJournal(node);
			for (int i = 0; i < 50; i++) {
				// committed at once, most of them before XADD answered with their id
				journal.committed(List.of(journal.append(FileUsageJournalTests.event("req_fast_" + i))));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> node.strings().sync().xlen(node.key("journal", "usage")) == 0);
			assertThat(new RedisUsageJournal(node).leftOver()).isEmpty();
		}
	}

}
