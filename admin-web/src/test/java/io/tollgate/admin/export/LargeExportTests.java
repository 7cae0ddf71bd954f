package io.tollgate.admin.export;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.billing.admin.AdminTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million-row export streams in constant memory: the heap in use (after collection,
 * sampled while the CSV is read) stays far below the size of the export, which it would
 * exceed if any stage collected the rows.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LargeExportTests {

	static final int ROWS = Integer.getInteger("tollgate.large-export.rows", 1_000_000);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	AdminTokens tokens;

	@Test
	void exportsAMillionRowsWithoutGrowingTheHeap() throws Exception {
		this.db
			.sql("""
					INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, upstream_model, stream,
					    input_tokens, output_tokens, cache_read_tokens, list_cost, charged_cost, outcome, http_status,
					    latency_ms, started_at)
					SELECT 'bulk-' || r.n, k.tenant_id, k.id, k.group_id, 'claude-sonnet-4-5', 'claude-sonnet-4-5', TRUE,
					    MOD(r.n, 1000), MOD(r.n, 700), MOD(r.n, 300), 0.0001234567, 0.0001851850, 'ok', 200, 100,
					    DATEADD('MILLISECOND', r.n * 50, TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00')
					FROM (SELECT "X" AS n FROM SYSTEM_RANGE(1, :rows)) r CROSS JOIN api_key k""")
			.bind("rows", ROWS)
			.then()
			.block(Duration.ofMinutes(5));
		String token = this.tokens.issue("large", "finance", "test").block().secret();
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long baseline = memory.getHeapMemoryUsage().getUsed();
		long peak = baseline;
		long lines = 0;
		long bytes = 0;
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create(
						"http://127.0.0.1:" + this.port + "/api/admin/exports/usage.csv?from=2025-01-01&to=2025-12-31"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				lines++;
				bytes += line.length() + 2;
				if (lines % (ROWS / 10) == 0) {
					System.gc();
					peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
				}
			}
		}
		long growth = peak - baseline;
		System.out.printf("Large export: %d rows, %d MB of CSV, heap growth %d MB%n", lines - 1, bytes >> 20,
				growth >> 20);
		assertThat(lines - 1).isEqualTo(ROWS);
		assertThat(growth).isLessThan(Math.min(96L << 20, bytes / 2));
	}

}
