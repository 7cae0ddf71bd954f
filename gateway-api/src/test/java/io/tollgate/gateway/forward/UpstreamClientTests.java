package io.tollgate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamClientTests {

	private static final FakeUpstream fake = FakeUpstream.start();

	private static final LoopResources loops = LoopResources.create("upstream-client-test", 2, true);

	private static final byte[] BODY = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
		.getBytes(StandardCharsets.UTF_8);

	@AfterAll
	static void stop() {
		fake.close();
		loops.disposeLater().block(Duration.ofSeconds(10));
	}

	@Test
	void keepsEachConnectionOnTheEventLoopOfTheRequestAndReusesIt() {
		EventLoop first = loops.onServer(true).next();
		EventLoop second = first;
		while (second == first) {
			second = loops.onServer(true).next();
		}
		try (UpstreamClient client = new UpstreamClient(8, Duration.ofSeconds(5), Duration.ofSeconds(10),
				Duration.ofSeconds(10), 2)) {
			List<Channel> channels = new ArrayList<>();
			for (EventLoop loop : List.of(first, second, first, second)) {
				// the body is read in the same chain, as the forwarder does: a response
				// whose body nobody subscribed to is closed
				Channel channel = client
					.post(loop, fake.baseUrl() + "/v1/messages",
							(headers) -> headers.set("x-api-key", "sk-test").set("content-type", "application/json"),
							BODY, Duration.ofSeconds(10))
					.flatMap((response) -> {
						assertThat(response.status()).isEqualTo(200);
						return response.aggregate().thenReturn(response.connection().channel());
					})
					.block(Duration.ofSeconds(10));
				assertThat(channel.eventLoop()).isSameAs(loop);
				channels.add(channel);
			}
			assertThat(channels.get(2)).isSameAs(channels.get(0));
			assertThat(channels.get(3)).isSameAs(channels.get(1));
			assertThat(fake.lastRequest().header("content-length")).isEqualTo(Integer.toString(BODY.length));
		}
	}

}
