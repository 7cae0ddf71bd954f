package io.tollgate.gateway.fake;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FakeUpstream} as its own process, for the benchmark. The port comes from
 * the first argument, else {@code FAKE_UPSTREAM_PORT}, else a free one; the event-loop
 * threads from {@code FAKE_UPSTREAM_THREADS}; {@code FAKE_UPSTREAM_PACED} lists
 * credentials answered with paced streams ({@code sk-a=50-100:300,sk-b=100:10}, see
 * {@link Pacing}). Recording is off. Prints
 * {@code fake-upstream listening on http://127.0.0.1:<port>} once it accepts connections,
 * and stops on SIGTERM or SIGINT.
 */
public final class FakeUpstreamMain {

	private FakeUpstreamMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		String port = (args.length > 0) ? args[0] : System.getenv().getOrDefault("FAKE_UPSTREAM_PORT", "0");
		String threads = System.getenv()
			.getOrDefault("FAKE_UPSTREAM_THREADS", Integer.toString(Runtime.getRuntime().availableProcessors()));
		FakeUpstream fake = FakeUpstream.builder()
			.port(Integer.parseInt(port))
			.threads(Integer.parseInt(threads))
			.recordLimit(0)
			.start();
		for (String entry : System.getenv().getOrDefault("FAKE_UPSTREAM_PACED", "").split(",")) {
			int equals = entry.indexOf('=');
			if (equals > 0) {
				fake.pace(entry.substring(0, equals).trim(), Pacing.parse(entry.substring(equals + 1)));
			}
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			fake.close();
			stopped.countDown();
		}, "fake-upstream-shutdown"));
		System.out.println("fake-upstream listening on " + fake.baseUrl());
		stopped.await();
	}

}
