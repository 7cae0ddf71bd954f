package io.tollgate.routing.convert;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property-style: hundreds of generated upstream streams (seeded, so every failure is
 * reproducible by its seed) must each give a well-formed Anthropic stream (sections F and
 * J) that the official SDK accumulates into the message the non-streaming converter makes
 * of the same content (C147, C149), whether the request enabled thinking, omitted its
 * display or did not ask for it.
 */
class StreamPropertyTests {

	private static final int CASES = 300;

	static LongStream seeds() {
		return LongStream.range(0, CASES);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyGeneratedStreamIsWellFormedAndMatchesTheNonStreamingMessage(long seed) {
		List<String> payloads = RandomUpstreamStream.generate(seed);
		ConversionContext.Thinking thinking = ConversionContext.Thinking.values()[(int) (seed % 3)];
		ConversionContext context = new ConversionContext("claude-sonnet-4-5", "msg_seed" + seed, true, List.of(),
				Map.of(), 7, thinking);
		StreamRun run = StreamRun.run(payloads, context);
		StreamInvariants.check(run.events());
		SdkAccumulationTests.assertSameMessage(run);
	}

}
