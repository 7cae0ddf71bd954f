package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCountsTests {

	private final List<String> tokenized = new ArrayList<>();

	private final TokenCounts counts = new TokenCounts((text) -> {
		this.tokenized.add(text);
		return text.length() / 4;
	});

	@Test
	void countsARepeatedLongTextOnce() {
		String prompt = "You are a helpful assistant. ".repeat(20);
		long first = this.counts.count(prompt);
		long again = this.counts.count(new String(prompt.toCharArray()));
		assertThat(again).isEqualTo(first).isEqualTo(prompt.length() / 4);
		assertThat(this.tokenized).hasSize(1);
	}

	@Test
	void countsDifferentTextsOfTheSameLengthApart() {
		String a = "a".repeat(TokenCounts.MIN_LENGTH) + "xy";
		String b = "a".repeat(TokenCounts.MIN_LENGTH) + "yx";
		this.counts.count(a);
		this.counts.count(b);
		assertThat(this.tokenized).containsExactly(a, b);
	}

	@Test
	void countsShortTextsEveryTime() {
		this.counts.count("Hello");
		this.counts.count("Hello");
		assertThat(this.tokenized).hasSize(2);
		assertThat(this.counts.size()).isZero();
	}

	@Test
	void startsOverWhenFull() {
		String base = "b".repeat(TokenCounts.MIN_LENGTH);
		for (int i = 0; i < TokenCounts.MAX_ENTRIES; i++) {
			this.counts.count(base + i);
		}
		assertThat(this.counts.size()).isEqualTo(TokenCounts.MAX_ENTRIES);
		this.counts.count(base + "one more");
		assertThat(this.counts.size()).isEqualTo(1);
	}

	@Test
	void estimatorCountsTheSameWithItsMemory() {
		TokenEstimator estimator = new TokenEstimator();
		String text = "Tollgate forwards Messages requests to upstream accounts and bills their tokens. ".repeat(10);
		long first = estimator.countText(text);
		assertThat(estimator.countText(text)).isEqualTo(first).isGreaterThan(100);
	}

}
