package io.tollgate.billing.directory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a group's intent-routing settings where they are written (console, admin API,
 * bootstrap file): the router model must be one of the group's accounts serves, and the
 * group's intent defaults may name only the options a group can turn on.
 */
public final class IntentSettings {

	/** The options a group may turn on for its requests. */
	public static final Set<String> DEFAULT_OPTIONS = Set.of("planningTriggerScore", "chatHistoryCompression",
			"toolOptimization", "mediaOptimization");

	private IntentSettings() {
	}

	/**
	 * Checks that a router model is served by the group.
	 * @param routerModel the model
	 * @param groupMapping the group's model mapping
	 * @param memberModels each member account's model patterns (empty: any model)
	 * @throws IllegalArgumentException when no member serves it
	 */
	public static void checkRouterModel(String routerModel, Map<String, String> groupMapping,
			Collection<? extends Collection<String>> memberModels) {
		if (routerModel.length() > 256 || routerModel.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("Router model must be a model name of at most 256 characters");
		}
		String mapped = mapped(routerModel, groupMapping);
		if (mapped == null) {
			throw new IllegalArgumentException(
					"Router model " + routerModel + " is not mapped by this group's model mapping");
		}
		for (Collection<String> patterns : memberModels) {
			if (patterns.isEmpty() || patterns.stream().anyMatch((pattern) -> matches(pattern, mapped))) {
				return;
			}
		}
		throw new IllegalArgumentException("Router model " + routerModel
				+ " is not served by any account of this group: add an account that serves it first");
	}

	/**
	 * Checks a group's intent defaults.
	 * @param defaults the options, or {@code null}
	 * @throws IllegalArgumentException naming the option that is wrong
	 */
	public static void checkDefaults(Map<String, Object> defaults) {
		if (defaults == null) {
			return;
		}
		for (Map.Entry<String, Object> option : defaults.entrySet()) {
			String name = option.getKey();
			Object value = option.getValue();
			if (!DEFAULT_OPTIONS.contains(name)) {
				throw new IllegalArgumentException("Intent defaults: unknown option " + name + " (allowed: "
						+ String.join(", ", DEFAULT_OPTIONS.stream().sorted().toList()) + ")");
			}
			if (name.equals("planningTriggerScore")) {
				score(value, name);
			}
			else if (value instanceof Map<?, ?> settings) {
				for (String scoreName : new String[] { "score", "acceptScore" }) {
					if (settings.get(scoreName) != null) {
						score(settings.get(scoreName), name + "." + scoreName);
					}
				}
				Object enabled = settings.get("enabled");
				if (enabled != null && !(enabled instanceof Boolean)) {
					throw new IllegalArgumentException("Intent defaults: " + name + ".enabled must be true or false");
				}
			}
			else if (!(value instanceof Boolean)) {
				throw new IllegalArgumentException("Intent defaults: " + name + " must be true, false or an object");
			}
		}
	}

	private static void score(Object value, String name) {
		if (!(value instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() > 1) {
			throw new IllegalArgumentException("Intent defaults: " + name + " must be a number from 0 to 1");
		}
	}

	/**
	 * The model as the group's mapping makes it, as the gateway maps it: an exact rule,
	 * else the glob with the longest literal part ({@code *} in the target carries the
	 * match); no rules pass it unchanged, rules that do not match it leave nothing.
	 */
	private static String mapped(String model, Map<String, String> mapping) {
		if (mapping.isEmpty()) {
			return model;
		}
		String exact = mapping.get(model);
		if (exact != null) {
			return exact;
		}
		String best = null;
		int bestLiteral = -1;
		for (Map.Entry<String, String> rule : mapping.entrySet()) {
			String pattern = rule.getKey();
			int star = pattern.indexOf('*');
			if (star < 0) {
				continue;
			}
			String prefix = pattern.substring(0, star);
			String suffix = pattern.substring(star + 1);
			if (model.length() >= prefix.length() + suffix.length() && model.startsWith(prefix)
					&& model.endsWith(suffix) && prefix.length() + suffix.length() > bestLiteral) {
				bestLiteral = prefix.length() + suffix.length();
				best = rule.getValue().replace("*", model.substring(prefix.length(), model.length() - suffix.length()));
			}
		}
		return best;
	}

	private static boolean matches(String pattern, String model) {
		if (!pattern.contains("*")) {
			return pattern.equals(model);
		}
		String regex = String.join(".*",
				java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).toList());
		return Pattern.matches(regex, model);
	}

}
