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

	private final Set<Label> allowed;

	private final int maxValues;

	private final Map<Label, Map<String, String>> seen = new ConcurrentHashMap<>();

	LabelPolicy(List<String> allowed, int maxValues) {
		Set<Label> labels = EnumSet.noneOf(Label.class);
		allowed.forEach((tag) -> labels.add(Label.of(tag.trim())));
		labels.add(Label.KEY);
		this.allowed = labels;
		this.maxValues = Math.max(1, maxValues);
		for (Label label : Label.values()) {
			this.seen.put(label, new ConcurrentHashMap<>());
		}
	}

	boolean allowed(Label label) {
		return this.allowed.contains(label);
	}

	/**
	 * The value to emit for a label.
	 * @param label the label
	 * @param value its raw value, or {@code null}
	 * @return the bounded value, or {@code null} when the label is not emitted
	 */
	String bound(Label label, String value) {
		if (!this.allowed.contains(label)) {
			return null;
		}
		if (value == null || value.isEmpty()) {
			return NONE;
		}
		Map<String, String> values = this.seen.get(label);
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
