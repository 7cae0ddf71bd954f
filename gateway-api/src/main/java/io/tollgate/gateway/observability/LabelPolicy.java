package io.tollgate.gateway.observability;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place label values are bounded: which labels are emitted at all (the
 * allow-list), and at most how many distinct values each takes on this node. A value
 * first seen once a label is full is reported as {@value #OTHER}, so a tenant inventing
 * model names cannot grow the number of series without bound. Values are cut to
 * {@value #MAX_LENGTH} characters.
 */
final class LabelPolicy {

	static final String OTHER = "other";

	static final String NONE = "none";

	static final int MAX_LENGTH = 64;

	private final int maxValues;

	/**
	 * By label ordinal: raw value to the value emitted; {@code null} for labels left out.
	 */
	private final Map<String, String>[] seen;

	LabelPolicy(List<String> allowed, int maxValues) {
		Set<Label> labels = EnumSet.noneOf(Label.class);
		allowed.forEach((tag) -> labels.add(Label.of(tag.trim())));
		labels.add(Label.KEY);
		this.maxValues = Math.max(1, maxValues);
		@SuppressWarnings("unchecked")
		Map<String, String>[] seen = new Map[Label.values().length];
		for (Label label : labels) {
			seen[label.ordinal()] = new ConcurrentHashMap<>();
		}
		this.seen = seen;
	}

	/**
	 * The value to emit for a label.
	 * @param label the label
	 * @param value its raw value, or {@code null}
	 * @return the bounded value, or {@code null} when the label is not emitted
	 */
	String bound(Label label, String value) {
		Map<String, String> values = this.seen[label.ordinal()];
		if (values == null) {
			return null;
		}
		if (value == null || value.isEmpty()) {
			return NONE;
		}
		String known = values.get(value);
		if (known != null) {
			return known;
		}
		if (values.size() >= this.maxValues) {
			return OTHER;
		}
		String kept = (value.length() > MAX_LENGTH) ? value.substring(0, MAX_LENGTH) : value;
		String raced = values.putIfAbsent(value, kept);
		return (raced != null) ? raced : kept;
	}

}
