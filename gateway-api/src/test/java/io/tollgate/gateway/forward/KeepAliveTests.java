package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveTests {

	private static final byte[] EVENT = "event: x\n\n".getBytes(StandardCharsets.UTF_8);

	@Test
	void pingsOnlyWhileTheUpstreamIsSilent() {
		StepVerifier
			.withVirtualTime(
					() -> KeepAlive
						.withPings(
								Flux.concat(Mono.just(EVENT), Mono.just(EVENT).delayElement(Duration.ofSeconds(25)),
										Flux.interval(Duration.ofSeconds(3)).take(3).map((i) -> EVENT)),
								Duration.ofSeconds(10))
						.map(KeepAliveTests::text))
			.expectNext("x")
			.thenAwait(Duration.ofSeconds(25))
			.expectNext("ping", "ping", "x")
			.thenAwait(Duration.ofSeconds(9))
			.expectNext("x", "x", "x")
			.verifyComplete();
	}

	@Test
	void stopsPingingWhenTheStreamEnds() {
		StepVerifier.withVirtualTime(() -> KeepAlive.withPings(Flux.just(EVENT), Duration.ofSeconds(10)))
			.expectNext(EVENT)
			.verifyComplete();
	}

	private static String text(byte[] event) {
		return (event == KeepAlive.PING) ? "ping" : new String(event, StandardCharsets.UTF_8).substring(7, 8);
	}

	@Test
	void endsATimedOutStreamWithATimeoutError() {
		assertThat(new String(KeepAlive.failureEvent(ReadTimeoutException.INSTANCE), StandardCharsets.UTF_8))
			.startsWith("event: error\n")
			.contains("\"type\":\"timeout_error\"");
		assertThat(new String(KeepAlive.failureEvent(new IllegalStateException()), StandardCharsets.UTF_8))
			.contains("\"type\":\"api_error\"");
	}

}
