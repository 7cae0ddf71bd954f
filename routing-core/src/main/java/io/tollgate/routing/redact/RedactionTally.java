package io.tollgate.routing.redact;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** How many values of each kind were masked in one request; never the values. */
public final class RedactionTally {

	private final int[] counts = new int[PiiType.values().length];

	void add(PiiType type) {
		this.counts[type.ordinal()]++;
	}

	/** The count for one kind. */
	public int count(PiiType type) {
		return this.counts[type.ordinal()];
	}

	/** Every value masked. */
	public int total() {
		int total = 0;
		for (int count : this.counts) {
			total += count;
		}
		return total;
	}

	/** The kinds with at least one value masked, with their counts. */
	public Map<PiiType, Integer> counts() {
		Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
		for (PiiType type : PiiType.values()) {
			if (this.counts[type.ordinal()] > 0) {
				counts.put(type, this.counts[type.ordinal()]);
			}
		}
		return Collections.unmodifiableMap(counts);
	}

	/** {@code email=2,secret=1}: for a usage record or a log field. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		counts().forEach((type, count) -> {
			if (!text.isEmpty()) {
				text.append(',');
			}
			text.append(type.wireName()).append('=').append(count);
		});
		return text.toString();
	}

}
