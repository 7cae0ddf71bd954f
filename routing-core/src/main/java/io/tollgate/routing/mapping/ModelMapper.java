package io.tollgate.routing.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the model a client asks for to the model an upstream runs, by a group's (or an
 * account's) rules.
 * <p>
 * A rule's pattern is an exact name or a glob with one {@code *}. An exact rule wins;
 * otherwise the glob with the longest literal part wins. A target may use {@code *} to
 * carry over what the glob matched, so {@code "claude-*" -> "anthropic/claude-*"} maps
 * {@code claude-haiku-4-5} to {@code anthropic/claude-haiku-4-5}. With no rules at all,
 * every model passes unchanged.
 */
public final class ModelMapper {

	private static final ModelMapper IDENTITY = new ModelMapper(Map.of(), List.of());

	private final Map<String, String> exact;

	private final List<Glob> globs;

	private ModelMapper(Map<String, String> exact, List<Glob> globs) {
		this.exact = exact;
		this.globs = globs;
	}

	/**
	 * Builds a mapper from rules in the order given.
	 * @param rules pattern to target
	 * @return the mapper
	 */
	public static ModelMapper of(Map<String, String> rules) {
		if (rules == null || rules.isEmpty()) {
			return IDENTITY;
		}
		Map<String, String> exact = new java.util.HashMap<>();
		List<Glob> globs = new ArrayList<>();
		rules.forEach((pattern, target) -> {
			int star = pattern.indexOf('*');
			if (star < 0) {
				exact.put(pattern, target);
			}
			else {
				globs.add(new Glob(pattern.substring(0, star), pattern.substring(star + 1), target));
			}
		});
		globs.sort(Comparator.comparingInt(Glob::literalLength).reversed());
		return new ModelMapper(Map.copyOf(exact), List.copyOf(globs));
	}

	/**
	 * The upstream model for a requested one.
	 * @param requested the client's model
	 * @return the mapped model, or empty when the rules do not serve it
	 */
	public Optional<String> map(String requested) {
		if (this == IDENTITY) {
			return Optional.of(requested);
		}
		String target = this.exact.get(requested);
		if (target != null) {
			return Optional.of(target);
		}
		for (Glob glob : this.globs) {
			String captured = glob.match(requested);
			if (captured != null) {
				return Optional.of(glob.target().replace("*", captured));
			}
		}
		return Optional.empty();
	}

	/** The exact model names these rules name, for listing what a group serves. */
	public List<String> exactModels() {
		return this.exact.keySet().stream().sorted().toList();
	}

	public boolean isIdentity() {
		return this == IDENTITY;
	}

	private record Glob(String prefix, String suffix, String target) {

		int literalLength() {
			return this.prefix.length() + this.suffix.length();
		}

		String match(String model) {
			if (model.length() >= literalLength() && model.startsWith(this.prefix) && model.endsWith(this.suffix)) {
				return model.substring(this.prefix.length(), model.length() - this.suffix.length());
			}
			return null;
		}

	}

}
