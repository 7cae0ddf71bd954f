package io.tollgate.admin.console;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.admin.export.DateRange;
import io.tollgate.billing.admin.AdminException;

import org.springframework.util.MultiValueMap;

/**
 * A submitted console or portal form, read field by field; blank fields are absent.
 */
public final class Form {

	private final MultiValueMap<String, String> fields;

	public Form(MultiValueMap<String, String> fields) {
		this.fields = fields;
	}

	public String text(String name) {
		String value = this.fields.getFirst(name);
		return (value != null && !value.isBlank()) ? value.trim() : null;
	}

	/** The raw value, untrimmed (for secrets). */
	public String raw(String name) {
		return this.fields.getFirst(name);
	}

	public Integer integer(String name) {
		String value = text(name);
		try {
			return (value != null) ? Integer.valueOf(value) : null;
		}
		catch (NumberFormatException ex) {
			throw AdminException.invalid(name + " must be a whole number");
		}
	}

	public long id(String name) {
		Integer value = integer(name);
		if (value == null) {
			throw AdminException.invalid(name + " is required");
		}
		return value;
	}

	public BigDecimal decimal(String name) {
		String value = text(name);
		try {
			return (value != null) ? new BigDecimal(value) : null;
		}
		catch (NumberFormatException ex) {
			throw AdminException.invalid(name + " must be a number");
		}
	}

	public boolean checked(String name) {
		return this.fields.containsKey(name);
	}

	/** A date ({@code yyyy-MM-dd}, UTC midnight) or instant. */
	public Instant instant(String name) {
		return DateRange.from(text(name), null);
	}

	/** A number chosen in a form, or -1 (nothing has that id) when it is not one. */
	static long number(String value) {
		try {
			return (value != null) ? Long.parseLong(value.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** Every non-blank value of a repeated field (check boxes). */
	/** Every non-blank value given for a name (checkboxes). */
	public List<String> all(String name) {
		List<String> values = this.fields.get(name);
		return (values != null) ? values.stream().map(String::trim).filter((s) -> !s.isEmpty()).toList() : List.of();
	}

	/** Items separated by commas or line breaks. */
	public List<String> list(String name) {
		String value = text(name);
		return (value != null)
				? Arrays.stream(value.split("[,\\n]")).map(String::trim).filter((s) -> !s.isEmpty()).toList()
				: List.of();
	}

	/** One {@code key = value} per line. */
	public Map<String, String> mapping(String name) {
		Map<String, String> mapping = new LinkedHashMap<>();
		for (String line : list(name)) {
			int eq = line.indexOf('=');
			if (eq <= 0 || eq == line.length() - 1) {
				throw AdminException.invalid("Mapping lines look like 'claude-* = upstream-model': " + line);
			}
			mapping.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
		}
		return mapping;
	}

	/** The inverse of {@link #mapping}, for editing. */
	static String mappingText(Map<String, String> mapping) {
		StringBuilder text = new StringBuilder();
		mapping.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
		return text.toString();
	}

}
