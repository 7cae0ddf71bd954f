package io.tollgate.billing.directory;

import java.util.Locale;

/** The protocol an upstream account speaks, and so the protocol a group forwards in. */
public enum Platform {

	/** Anthropic Messages API: bodies forwarded byte-faithfully. */
	ANTHROPIC,

	/** OpenAI Chat Completions: reached by protocol conversion. */
	OPENAI;

	public static Platform parse(String value) {
		return valueOf(value.trim().toUpperCase(Locale.ROOT));
	}

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
