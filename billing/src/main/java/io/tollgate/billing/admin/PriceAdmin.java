package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import reactor.core.publisher.Mono;

/**
 * The price book: entries are added with an effective date and never edited in place, so
 * old usage keeps its old price.
 */
public class PriceAdmin {

	private final AdminSupport support;

	public PriceAdmin(AdminSupport support) {
		this.support = support;
	}

	/** Every entry, by model pattern, newest first. */
	public Mono<List<PriceEntry>> list() {
		return this.support.db()
			.sql("SELECT * FROM price ORDER BY model_pattern, effective_from DESC")
			.map(PriceAdmin::price)
			.all()
			.collectList();
	}

	/** Adds an entry; missing cache prices default like the bootstrap file's. */
	public Mono<PriceEntry> add(PriceEntry entry, String actor) {
		String pattern = Validation.name(entry.modelPattern(), "Model pattern");
		if (entry.input() == null || entry.output() == null) {
			throw AdminException.invalid("Input and output prices are required");
		}
		if (entry.effectiveFrom() == null) {
			throw AdminException.invalid("Effective date is required");
		}
		BigDecimal write5m = or(entry.cacheWrite5m(), entry.input());
		Mono<PriceEntry> insert = Validation
			.unique(this.support.insert(this.support.db()
				.sql("""
						INSERT INTO price (model_pattern, input_per_mtok, output_per_mtok, cache_write_5m_per_mtok,
						    cache_write_1h_per_mtok, cache_read_per_mtok, effective_from)
						VALUES (:model, :input, :output, :w5, :w1, :read, :from)""")
				.bind("model", pattern)
				.bind("input", Validation.nonNegative(entry.input(), "Input price"))
				.bind("output", Validation.nonNegative(entry.output(), "Output price"))
				.bind("w5", Validation.nonNegative(write5m, "Cache write price"))
				.bind("w1", Validation.nonNegative(or(entry.cacheWrite1h(), write5m), "Cache write price"))
				.bind("read", Validation.nonNegative(or(entry.cacheRead(), entry.input()), "Cache read price"))
				.bind("from", AdminSupport.timestamp(entry.effectiveFrom()))), "price for this date", pattern)
			.flatMap(this::get);
		return this.support.change(insert, actor, "price.add", "price", PriceAdmin::detail);
	}

	/** Deletes an entry (usage already priced by it keeps its cost). */
	public Mono<PriceEntry> delete(long id, String actor) {
		return this.support.change(get(id).flatMap((entry) -> this.support.db()
			.sql("DELETE FROM price WHERE id = :id")
			.bind("id", id)
			.then()
			.thenReturn(entry)), actor, "price.delete", "price", PriceAdmin::detail);
	}

	private Mono<PriceEntry> get(long id) {
		return this.support.db()
			.sql("SELECT * FROM price WHERE id = :id")
			.bind("id", id)
			.map(PriceAdmin::price)
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Price", id)));
	}

	private static BigDecimal or(BigDecimal value, BigDecimal fallback) {
		return (value != null) ? value : fallback;
	}

	private static Map<String, Object> detail(PriceEntry entry) {
		Map<String, Object> detail = new HashMap<>();
		detail.put("id", entry.id());
		detail.put("model", entry.modelPattern());
		detail.put("input", entry.input());
		detail.put("output", entry.output());
		detail.put("cacheWrite5m", entry.cacheWrite5m());
		detail.put("cacheWrite1h", entry.cacheWrite1h());
		detail.put("cacheRead", entry.cacheRead());
		detail.put("effectiveFrom", entry.effectiveFrom().toString());
		return detail;
	}

	private static PriceEntry price(Readable row) {
		return new PriceEntry(row.get("id", Long.class), row.get("model_pattern", String.class),
				row.get("input_per_mtok", BigDecimal.class), row.get("output_per_mtok", BigDecimal.class),
				row.get("cache_write_5m_per_mtok", BigDecimal.class),
				row.get("cache_write_1h_per_mtok", BigDecimal.class), row.get("cache_read_per_mtok", BigDecimal.class),
				AdminSupport.instant(row, "effective_from"));
	}

}
