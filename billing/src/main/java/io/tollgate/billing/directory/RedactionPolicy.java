package io.tollgate.billing.directory;

import java.util.List;
import java.util.Locale;

/**
 * What a group or key allows or requires of PII redaction.
 *
 * @param mode off, allowed or enforced
 * @param entities the entity names (email, phone, ...) always masked under
 * {@link Mode#ENFORCED}
 * @param custom custom terms and {@code /patterns/} always masked under
 * {@link Mode#ENFORCED}
 */
public record RedactionPolicy(Mode mode, List<String> entities, List<String> custom) {

	/** What applies where no policy is set: the request decides. */
	public static final RedactionPolicy ALLOWED = new RedactionPolicy(Mode.ALLOWED, List.of(), List.of());

	public RedactionPolicy {
		entities = List.copyOf(entities);
		custom = List.copyOf(custom);
	}

	/** How much say the request has. */
	public enum Mode {

		/** Nothing is masked; a request's {@code gateway.redact} is ignored. */
		OFF,

		/** The request's {@code gateway.redact} decides. */
		ALLOWED,

		/** The policy's entities are always masked; a request may add more. */
		ENFORCED;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The mode with this name, in any case, or {@code null} for none or an unknown
		 * one.
		 */
		public static Mode of(String name) {
			if (name == null) {
				return null;
			}
			for (Mode mode : values()) {
				if (mode.name().equalsIgnoreCase(name.trim())) {
					return mode;
				}
			}
			return null;
		}

		/** The mode with this name, in any case. */
		public static Mode parse(String name) {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}

	}

}
