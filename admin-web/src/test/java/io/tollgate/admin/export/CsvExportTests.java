package io.tollgate.admin.export;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.billing.admin.AdminTokens;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finance exports checked against the usage records they come from: every row, every
 * token kind and both costs, per record and per tenant, day and model, with RFC 4180
 * quoting of awkward names.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvExportTests {

	static final String AWKWARD = "Smith, \"Jones\" & Søn\nLtd";

	static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");

	static final String[] MODELS = { "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1" };

	static final String[] OUTCOMES = { "ok", "ok", "ok", "upstream_error", "client_cancelled" };

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	TenantAdmin tenants;

	@Autowired
	KeyAdmin keys;

	@Autowired
	AdminTokens tokens;

	String token;

	@BeforeAll
	void usage() {
		this.token = this.tokens.issue("exports", "finance", "test").block().secret();
		Tenant acme = this.tenants.list()
			.block()
			.stream()
			.filter((t) -> t.name().equals("acme"))
			.findFirst()
			.orElseThrow();
		ApiKeyInfo acmeKey = this.keys.list(acme.id()).block().get(0);
		Tenant awkward = this.tenants.create(Tenant.Form.named(AWKWARD), "test").block();
		ApiKeyInfo awkwardKey = this.keys
			.issue(awkward.id(), "k, \"quoted\"",
					new ApiKeyInfo.Settings(acmeKey.groupId(), null, null, null, null, null, null, null), "test")
			.block()
			.key();
		Random random = new Random(6);
		for (int i = 0; i < 600; i++) {
			ApiKeyInfo key = random.nextBoolean() ? acmeKey : awkwardKey;
			// 600 records over four days, the last day outside the exported range
			Instant started = FROM.plusSeconds(random.nextInt(4 * 86_400));
			insert("req-" + i, key, MODELS[random.nextInt(MODELS.length)], OUTCOMES[random.nextInt(OUTCOMES.length)],
					started, random);
		}
	}

	@Test
	void usageExportHasEveryRecordOfTheRangeWithExactSums() throws Exception {
		List<CSVRecord> rows = csv("/api/admin/exports/usage.csv?from=2025-03-01&to=2025-03-03");
		assertThat(rows.get(0).values()).containsExactlyElementsOf(CsvExports.USAGE_HEADER);
		List<CSVRecord> records = rows.subList(1, rows.size());
		Map<String, Object> sums = sums("");
		assertThat((long) records.size()).isEqualTo(sums.get("n")).isGreaterThan(300);
		for (String column : List.of("input_tokens", "output_tokens", "cache_creation_tokens",
				"cache_creation_5m_tokens", "cache_creation_1h_tokens", "cache_read_tokens")) {
			assertThat(records.stream()
				.mapToLong((r) -> Long.parseLong(r.get(CsvExports.USAGE_HEADER.indexOf(column))))
				.sum()).as(column).isEqualTo(sums.get(column));
		}
		for (String column : List.of("list_cost", "charged_cost")) {
			assertThat(records.stream()
				.map((r) -> new BigDecimal(r.get(CsvExports.USAGE_HEADER.indexOf(column))))
				.reduce(BigDecimal.ZERO, BigDecimal::add)).as(column)
				.isEqualByComparingTo((BigDecimal) sums.get(column));
		}
		assertThat(records).anySatisfy((r) -> assertThat(r.get(3)).isEqualTo(AWKWARD));
		assertThat(records).anySatisfy((r) -> assertThat(r.get(5)).isEqualTo("k, \"quoted\""));
	}

	@Test
	void aggregateExportSumsEachTenantDayAndModel() throws Exception {
		List<CSVRecord> rows = csv("/api/admin/exports/aggregates.csv?from=2025-03-01&to=2025-03-03");
		assertThat(rows.get(0).values()).containsExactlyElementsOf(CsvExports.AGGREGATE_HEADER);
		List<CSVRecord> aggregates = rows.subList(1, rows.size());
		// 2 tenants x 3 days x 3 models at most, and (with 450 records) all of them
		assertThat(aggregates).hasSize(18);
		for (CSVRecord aggregate : aggregates) {
			Instant day = Instant.parse(aggregate.get(0) + "T00:00:00Z");
			String where = " AND u.tenant_id = " + aggregate.get(1) + " AND u.requested_model = '" + aggregate.get(3)
					+ "' AND u.started_at >= TIMESTAMP WITH TIME ZONE '"
					+ day.toString().replace("T", " ").replace("Z", "+00")
					+ "' AND u.started_at < TIMESTAMP WITH TIME ZONE '"
					+ day.plusSeconds(86_400).toString().replace("T", " ").replace("Z", "+00") + "'";
			Map<String, Object> sums = sums(where);
			assertThat(Long.parseLong(aggregate.get(4))).isEqualTo(sums.get("n"));
			assertThat(Long.parseLong(aggregate.get(5))).isEqualTo(sums.get("errors"));
			int column = 6;
			for (String tokens : List.of("input_tokens", "output_tokens", "cache_creation_tokens",
					"cache_creation_5m_tokens", "cache_creation_1h_tokens", "cache_read_tokens")) {
				assertThat(Long.parseLong(aggregate.get(column++))).as(tokens).isEqualTo(sums.get(tokens));
			}
			assertThat(new BigDecimal(aggregate.get(12))).isEqualByComparingTo((BigDecimal) sums.get("list_cost"));
			assertThat(new BigDecimal(aggregate.get(13))).isEqualByComparingTo((BigDecimal) sums.get("charged_cost"));
		}
		assertThat(aggregates.stream().mapToLong((r) -> Long.parseLong(r.get(4))).sum()).isEqualTo(sums("").get("n"));
	}

	private List<CSVRecord> csv(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Authorization", "Bearer " + this.token)
				.build(), HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/csv").containsIgnoringCase("charset=UTF-8"));
		assertThat(response.body()).contains("\r\n");
		return CSVFormat.RFC4180.parse(new StringReader(response.body())).getRecords();
	}

	private Map<String, Object> sums(String extraWhere) {
		return this.db
			.sql("""
					SELECT COUNT(*) AS n, SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) AS errors,
					SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
					SUM(cache_creation_tokens) AS cache_creation_tokens, SUM(cache_creation_5m_tokens) AS cache_creation_5m_tokens,
					SUM(cache_creation_1h_tokens) AS cache_creation_1h_tokens, SUM(cache_read_tokens) AS cache_read_tokens,
					SUM(list_cost) AS list_cost, SUM(charged_cost) AS charged_cost
					FROM usage_record u WHERE u.request_id LIKE 'req-%' AND u.started_at >= :from AND u.started_at < :to"""
					+ extraWhere)
			.bind("from", FROM.atOffset(ZoneOffset.UTC))
			.bind("to", FROM.plusSeconds(3 * 86_400).atOffset(ZoneOffset.UTC))
			.map((row) -> {
				Map<String, Object> sums = new HashMap<>();
				for (String column : List.of("n", "errors", "input_tokens", "output_tokens", "cache_creation_tokens",
						"cache_creation_5m_tokens", "cache_creation_1h_tokens", "cache_read_tokens")) {
					Object value = row.get(column);
					sums.put(column, (value != null) ? ((Number) value).longValue() : 0L);
				}
				sums.put("list_cost", row.get("list_cost", BigDecimal.class));
				sums.put("charged_cost", row.get("charged_cost", BigDecimal.class));
				return sums;
			})
			.one()
			.block(Duration.ofSeconds(30));
	}

	private void insert(String requestId, ApiKeyInfo key, String model, String outcome, Instant started,
			Random random) {
		long w5 = random.nextInt(500);
		long w1 = random.nextInt(500);
		BigDecimal list = BigDecimal.valueOf(random.nextInt(1_000_000), 7);
		this.db.sql("""
				INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, upstream_model,
				    stream, input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens,
				    cache_creation_1h_tokens, cache_read_tokens, list_cost, charged_cost, outcome, http_status,
				    latency_ms, started_at)
				VALUES (:id, :tenant, :key, :group, :model, :model, TRUE, :input, :output, :cw, :w5, :w1, :cr, :list,
				    :charged, :outcome, 200, 100, :started)""")
			.bind("id", requestId)
			.bind("tenant", key.tenantId())
			.bind("key", key.id())
			.bind("group", key.groupId())
			.bind("model", model)
			.bind("input", (long) random.nextInt(100_000))
			.bind("output", (long) random.nextInt(10_000))
			.bind("cw", w5 + w1)
			.bind("w5", w5)
			.bind("w1", w1)
			.bind("cr", (long) random.nextInt(50_000))
			.bind("list", list)
			.bind("charged", list.multiply(new BigDecimal("1.5")))
			.bind("outcome", outcome)
			.bind("started", OffsetDateTime.ofInstant(started, ZoneOffset.UTC))
			.then()
			.block(Duration.ofSeconds(10));
	}

}
