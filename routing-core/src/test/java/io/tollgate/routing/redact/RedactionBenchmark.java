package io.tollgate.routing.redact;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times masking a Claude Code–like request of about 1 MB (source files, shell output,
 * JSON tool inputs, a few emails, addresses and keys) with every detector on. A main for
 * {@code bench/}, not a test: timings belong in benchmarks.
 */
public final class RedactionBenchmark {

	private RedactionBenchmark() {
	}

	public static void main(String[] args) {
		int megabytes = (args.length > 0) ? Integer.parseInt(args[0]) : 1;
		byte[] body = request(megabytes * 1024 * 1024);
		Redactor redactor = Redactor.of(PiiType.builtIn(), List.of());
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		RequestRedaction.Result result = null;
		// warm up for a number of calls and at least two seconds, so that the JIT has
		// compiled the hot path even on a busy machine
		long warm = System.nanoTime() + 2_000_000_000L;
		for (int i = 0; i < 200 || System.nanoTime() < warm; i++) {
			result = RequestRedaction.redact(body, redactor);
		}
		// CPU time of this thread, which other processes on the machine hardly change,
		// and wall time; the best and the median of several rounds
		int rounds = 7;
		int runs = 40;
		double[] cpu = new double[rounds];
		double[] wall = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			long cpuStart = threads.getCurrentThreadCpuTime();
			long wallStart = System.nanoTime();
			for (int i = 0; i < runs; i++) {
				result = RequestRedaction.redact(body, redactor);
			}
			cpu[round] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / runs;
			wall[round] = (System.nanoTime() - wallStart) / 1e6 / runs;
		}
		Arrays.sort(cpu);
		Arrays.sort(wall);
		System.out.printf(
				"redaction: %.2f MB request, %.2f ms per request (CPU time, best of %d rounds; median %.2f; wall best %.2f, median %.2f) (%s masked)%n",
				body.length / 1048576.0, cpu[0], rounds, cpu[rounds / 2], wall[0], wall[rounds / 2], result.tally());
	}

	static byte[] request(int size) {
		Random random = new Random(7);
		String[] lines = { "import java.util.List;", "public final class Account { private final String id; }",
				"$ ls -la /home/dev/project/src/main/java", "-rw-r--r-- 1 dev dev 4096 Nov 25 18:01 pom.xml",
				"for (int i = 0; i < items.size(); i++) { total += items.get(i).price(); }",
				"ERROR 2026-11-25T18:01:28.123Z [main] o.s.b.SpringApplication - Application run failed",
				"    at io.tollgate.gateway.messages.MessagesHandler.forward(MessagesHandler.java:171)",
				"The quick brown fox jumps over the lazy dog, version 1.2.3 released on 2026-11-25.",
				"{\"name\":\"read_file\",\"path\":\"src/main/resources/application.yml\",\"lines\":[1,120]}",
				"Contact maintainer jane.roe@example.org or call +1 415 555 0132 about 10.0.12.7",
				"uuid 123e4567-e89b-12d3-a456-426614174000 at 12:30:45; key sk-ant-api03-abcdefghijklmnopqrstuvwxyz" };
		StringBuilder json = new StringBuilder(size + 4096);
		json.append("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"messages\":[");
		int turn = 0;
		while (json.length() < size) {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < 200; i++) {
				String line = lines[random.nextInt(lines.length - 2)];
				if (random.nextInt(40) == 0) {
					line = lines[lines.length - 1 - random.nextInt(2)];
				}
				text.append(line).append('\n');
			}
			String quoted = new String(io.tollgate.routing.json.JsonStrings.quote(text.toString()),
					StandardCharsets.UTF_8);
			if (turn > 0) {
				json.append(',');
			}
			if (turn % 2 == 0) {
				json.append("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_")
					.append(turn)
					.append("\",\"content\":")
					.append(quoted)
					.append("}]}");
			}
			else {
				json.append("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":")
					.append(quoted)
					.append("},{\"type\":\"tool_use\",\"id\":\"toolu_")
					.append(turn + 1)
					.append("\",\"name\":\"Bash\",\"input\":{\"command\":\"ls -la\"}}]}");
			}
			turn++;
		}
		json.append("]}");
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

}
