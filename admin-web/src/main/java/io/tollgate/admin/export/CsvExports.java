package io.tollgate.admin.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import io.tollgate.billing.admin.UsageFilter;
import io.tollgate.billing.admin.UsageQueries;
import io.tollgate.billing.admin.UsageRow;
import io.tollgate.billing.admin.UsageSummary;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import io.tollgate.admin.config.ConsoleEnabled;

import org.springframework.stereotype.Component;

/**
 * Finance exports as RFC 4180 CSV in UTF-8, streamed: database rows become CSV chunks as
 * the client reads them, so memory stays flat whatever the range.
 */
@Component
@ConsoleEnabled
public class CsvExports {

	/** Rows per written chunk. */
	static final int CHUNK_ROWS = 256;

	static final List<String> USAGE_HEADER = List.of("request_id", "started_at", "tenant_id", "tenant", "key_id", "key",
			"group_id", "account_id", "requested_model", "upstream_model", "stream", "input_tokens", "output_tokens",
			"cache_creation_tokens", "cache_creation_5m_tokens", "cache_creation_1h_tokens", "cache_read_tokens",
			"list_cost", "charged_cost", "charged_to", "outcome", "http_status", "latency_ms", "ttft_ms");

	static final List<String> AGGREGATE_HEADER = List.of("day", "tenant_id", "tenant", "model", "requests", "errors",
			"input_tokens", "output_tokens", "cache_creation_tokens", "cache_creation_5m_tokens",
			"cache_creation_1h_tokens", "cache_read_tokens", "list_cost", "charged_cost");

	private static final CSVFormat FORMAT = CSVFormat.RFC4180;

	private final UsageQueries usage;

	public CsvExports(UsageQueries usage) {
		this.usage = usage;
	}

	/** Writes every usage record the filter matches. */
	public Mono<Void> usage(UsageFilter filter, ServerHttpResponse response) {
		return write(response, "usage-" + name(filter) + ".csv", USAGE_HEADER, this.usage.stream(filter),
				CsvExports::usageRecord);
	}

	/** Writes the per tenant, day and model sums of the records the filter matches. */
	public Mono<Void> aggregates(UsageFilter filter, ServerHttpResponse response) {
		return write(response, "usage-aggregates-" + name(filter) + ".csv", AGGREGATE_HEADER,
				this.usage.aggregates(filter), CsvExports::aggregateRecord);
	}

	/**
	 * CSV chunks for rows: a header, then one chunk per {@value #CHUNK_ROWS} rows; rows
	 * are requested from the source only as chunks are consumed.
	 */
	public static <T> Flux<DataBuffer> chunks(DataBufferFactory buffers, List<String> header, Flux<T> rows,
			Function<T, List<Object>> record) {
		Flux<DataBuffer> head = Mono.fromSupplier(() -> buffers.wrap(encode(List.of(header)))).flux();
		Flux<DataBuffer> body = rows.buffer(CHUNK_ROWS)
			.map((batch) -> buffers.wrap(encode(batch.stream().map(record).toList())));
		return head.concatWith(body);
	}

	private static <T> Mono<Void> write(ServerHttpResponse response, String filename, List<String> header, Flux<T> rows,
			Function<T, List<Object>> record) {
		response.getHeaders().setContentType(new MediaType("text", "csv", StandardCharsets.UTF_8));
		response.getHeaders()
			.setContentDisposition(ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build());
		return response.writeWith(chunks(response.bufferFactory(), header, rows, record));
	}

	private static byte[] encode(List<? extends List<?>> records) {
		StringBuilder out = new StringBuilder(records.size() * 200);
		try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
			for (List<?> record : records) {
				printer.printRecord(record);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String name(UsageFilter filter) {
		return filter.from().toString().substring(0, 10) + "-to-" + filter.to().toString().substring(0, 10);
	}

	static List<Object> usageRecord(UsageRow row) {
		return java.util.Arrays.asList(row.requestId(), row.startedAt(), row.tenantId(), row.tenantName(), row.keyId(),
				row.keyName(), row.groupId(), row.accountId(), row.requestedModel(), row.upstreamModel(), row.stream(),
				row.tokens().input(), row.tokens().output(), row.tokens().cacheCreation(),
				row.tokens().cacheCreation5m(), row.tokens().cacheCreation1h(), row.tokens().cacheRead(),
				money(row.listCost()), money(row.chargedCost()), row.chargedTo(), row.outcome(), row.httpStatus(),
				row.latencyMs(), row.ttftMs());
	}

	static List<Object> aggregateRecord(UsageSummary.Aggregate row) {
		UsageSummary sums = row.summary();
		return java.util.Arrays.asList(row.day(), row.tenantId(), row.tenantName(), row.model(), sums.requests(),
				sums.errors(), sums.tokens().input(), sums.tokens().output(), sums.tokens().cacheCreation(),
				sums.tokens().cacheCreation5m(), sums.tokens().cacheCreation1h(), sums.tokens().cacheRead(),
				money(sums.listCost()), money(sums.chargedCost()));
	}

	private static String money(BigDecimal value) {
		return (value != null) ? value.toPlainString() : "";
	}

}
