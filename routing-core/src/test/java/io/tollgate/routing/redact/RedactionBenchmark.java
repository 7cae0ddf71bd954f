package io.tollgate.routing.redact;

import java.nio.charset.StandardCharsets;
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
		RequestRedaction.Result result = null;
		for (int i = 0; i < 30; i++) {
			result = RequestRedaction.redact(body, redactor);
		}
		int runs = 50;
		long start = System.nanoTime();
		for (int i = 0; i < runs; i++) {
			result = RequestRedaction.redact(body, redactor);
		}
		double millis = (System.nanoTime() - start) / 1e6 / runs;
		System.out.printf("redaction: %.2f MB request, %.2f ms per request (%s masked)%n", body.length / 1048576.0,
				millis, result.tally());
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
