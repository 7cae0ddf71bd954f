package io.tollgate.gateway.edge;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTests {

	@Test
	void haveTheAnthropicShape() {
		assertThat(RequestIds.generate()).matches("req_[0-9A-Za-z]{24}");
	}

	@Test
	void sortByTimeSoIndexesGrowAtTheirEnd() {
		String earlier = RequestIds.generate(1_700_000_000_000L);
		String later = RequestIds.generate(1_700_000_000_001L);
		String muchLater = RequestIds.generate(4_000_000_000_000L);
		assertThat(earlier).isLessThan(later);
		assertThat(later).isLessThan(muchLater);
		assertThat(RequestIds.generate(0)).startsWith("req_00000000");
	}

	@Test
	void areUniqueWithinTheSameMillisecond() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			ids.add(RequestIds.generate(1_700_000_000_000L));
		}
		assertThat(ids).hasSize(10_000);
	}

}
