package io.tollgate.routing.mapping;

import java.util.Collection;

/**
 * Model patterns: exact names, or globs with one {@code *}.
 */
public final class ModelPatterns {

	private ModelPatterns() {
	}

	public static boolean matches(String pattern, String model) {
		int star = pattern.indexOf('*');
		if (star < 0) {
			return pattern.equals(model);
		}
		String prefix = pattern.substring(0, star);
		String suffix = pattern.substring(star + 1);
		return model.length() >= prefix.length() + suffix.length() && model.startsWith(prefix)
				&& model.endsWith(suffix);
	}

	/** Whether any pattern matches; an empty collection matches everything. */
	public static boolean anyMatches(Collection<String> patterns, String model) {
		if (patterns == null || patterns.isEmpty()) {
			return true;
		}
		for (String pattern : patterns) {
			if (matches(pattern, model)) {
				return true;
			}
		}
		return false;
	}

}
