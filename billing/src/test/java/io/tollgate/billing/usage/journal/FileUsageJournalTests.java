package io.tollgate.billing.usage.journal;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FileUsageJournalTests {

	@TempDir
	Path directory;

	static UsageEvent event(String id) {
		return new UsageEvent(id, 1, 2, 3, 4L, "claude-x", "claude-sonnet-4-5", true, new TokenCounts(10, 20, 3, 4, 5),
				true, Outcome.CLIENT_CANCELLED, 200, Instant.parse("2026-11-18T10:15:30.123456Z"), 1200, 300L,
				BillingMode.SUBSCRIPTION, new BigDecimal("1.5"),
				new Cost(new BigDecimal("0.0000123456"), new BigDecimal("0.0000185184"), 7L), ChargedTo.SUBSCRIPTION,
				9L);
	}

	@Test
	void whatWasNotCommittedIsLeftForTheNextRunExactlyAsAppended() {
		FileUsageJournal journal = new FileUsageJournal(this.directory, 1 << 20);
		Journaled first = journal.append(event("req_1"));
		journal.append(event("req_2"));
		journal.committed(List.of(first));
		journal.append(event("req_3"));
		// killed: no close
		FileUsageJournal restarted = new FileUsageJournal(this.directory, 1 << 20);
		List<UsageEvent> left = events(restarted.leftOver());
		assertThat(left).extracting(UsageEvent::requestId).containsExactly("req_1", "req_2", "req_3");
		assertThat(left.get(1)).isEqualTo(event("req_2"));
		restarted.dropLeftOver();
		restarted.close();
		assertThat(new FileUsageJournal(this.directory, 1 << 20).leftOver()).isEmpty();
	}

	@Test
	void keepsTheUpstreamRequestIdAndReadsLinesWrittenBeforeItExisted() {
		UsageEvent plain = event("req_u");
		UsageEvent event = new UsageEvent(plain.requestId(), plain.tenantId(), plain.keyId(), plain.groupId(),
				plain.accountId(), plain.requestedModel(), plain.upstreamModel(), plain.stream(), plain.tokens(),
				plain.estimated(), plain.outcome(), plain.httpStatus(), plain.startedAt(), plain.latencyMs(),
				plain.ttftMs(), plain.billingMode(), plain.multiplier(), plain.cost(), plain.chargedTo(),
				plain.subscriptionId(), "req_011CUpstream", null, null);
		String line = JournalCodec.write(event);
		assertThat(JournalCodec.read(line)).isEqualTo(event);
		String older = line.replace(",\"upstreamRequestId\":\"req_011CUpstream\"", "");
		assertThat(older).doesNotContain("upstreamRequestId");
		assertThat(JournalCodec.read(older)).isEqualTo(plain);
	}

	@Test
	void committedEntriesAreDroppedAcrossSegments() throws Exception {
		FileUsageJournal journal = new FileUsageJournal(this.directory, 600);
		List<Journaled> entries = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			entries.add(journal.append(event("req_" + i)));
		}
		assertThat(Files.list(this.directory).count()).as("rotated").isGreaterThan(2);
		journal.committed(entries.subList(0, 6));
		List<UsageEvent> left = events(new FileUsageJournal(this.directory, 600).leftOver());
		assertThat(left).extracting(UsageEvent::requestId).contains("req_6", "req_7", "req_8", "req_9");
		assertThat(left.size()).as("whole segments of written entries are gone").isLessThan(10);
		journal.committed(entries.subList(6, 10));
		assertThat(new FileUsageJournal(this.directory, 600).leftOver()).isEmpty();
	}

	@Test
	void aCommitRetiresTheSegmentBeingAppendedToAndLaterEntriesSurviveIt() throws Exception {
		FileUsageJournal journal = new FileUsageJournal(this.directory, 1 << 20);
		List<Journaled> entries = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			entries.add(journal.append(event("req_" + i)));
		}
		journal.committed(entries);
		journal.append(event("req_after"));
		assertThat(Files.list(this.directory).count()).as("the written segment is gone").isEqualTo(1);
		assertThat(events(new FileUsageJournal(this.directory, 1 << 20).leftOver())).extracting(UsageEvent::requestId)
			.containsExactly("req_after");
	}

	@Test
	void aLineCutShortComesBackUnreadableInsteadOfStoppingTheStart() throws Exception {
		FileUsageJournal journal = new FileUsageJournal(this.directory, 1 << 20);
		journal.append(event("req_1"));
		Files.writeString(this.directory.resolve("usage-000000000000000-000000.jsonl"),
				"{\"requestId\":\"req_cut\",\"tena\n\u00ff\n", java.nio.charset.StandardCharsets.ISO_8859_1);
		List<LeftOver> left = new FileUsageJournal(this.directory, 1 << 20).leftOver();
		assertThat(left).hasSize(3);
		assertThat(left).filteredOn(LeftOver::readable)
			.extracting((entry) -> entry.event().requestId())
			.containsExactly("req_1");
		assertThat(left).filteredOn((entry) -> !entry.readable()).allSatisfy((entry) -> {
			assertThat(entry.error()).isNotBlank();
			assertThat(entry.raw()).isNotBlank();
		});
	}

	@Test
	void valuesNoEncodingHoldsSurviveAsEscapedAscii() {
		FileUsageJournal journal = new FileUsageJournal(this.directory, 1 << 20);
		UsageEvent odd = new UsageEvent("req_odd", 1, 2, 3, null, "claude-\u0000-\ud800-é", "claude-sonnet-4-5", false,
				new TokenCounts(1, 2, 0, 0, 0), false, Outcome.OK, 200, Instant.parse("2026-01-01T00:00:00Z"), 1, null,
				BillingMode.BALANCE, BigDecimal.ONE);
		journal.append(odd);
		List<LeftOver> left = new FileUsageJournal(this.directory, 1 << 20).leftOver();
		assertThat(left).singleElement().satisfies((entry) -> {
			assertThat(entry.event()).isEqualTo(odd);
			assertThat(entry.raw()).matches("\\p{ASCII}*").contains("\\u0000").containsIgnoringCase("\\ud800");
		});
	}

	@Test
	void journalsOpenedOnOneDirectoryInTheSameMillisecondTakeDistinctSegments() {
		List<FileUsageJournal> journals = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			journals.add(new FileUsageJournal(this.directory, 1 << 20));
		}
		for (int i = 0; i < journals.size(); i++) {
			journals.get(i).append(event("req_" + i));
		}
		assertThat(new FileUsageJournal(this.directory, 1 << 20).leftOver()).hasSize(50);
	}

	static List<UsageEvent> events(List<LeftOver> entries) {
		return entries.stream().map(LeftOver::event).toList();
	}

}
