package io.tollgate.routing.convert;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one OpenAI-compatible upstream account accepts, as configuration rather than code
 * forks. Build it from the account's settings with {@link #fromSettings(Map)}; anything
 * not set keeps its {@link #defaults() default}.
 *
 * @param maxTokensField where {@code max_tokens} goes: {@code "max_tokens"} (default) or
 * {@code "max_completion_tokens"} for o-series style upstreams (C121); setting key
 * {@code max-tokens-field}
 * @param acceptsTopK whether {@code top_k} is forwarded (vLLM and similar accept it as an
 * extension; default {@code false}); setting key {@code accepts-top-k}
 * @param acceptsCacheControl whether {@code cache_control} markers are kept on text,
 * image and system parts (default {@code false}, strict upstreams reject unknown keys,
 * C109, C128); setting key {@code accepts-cache-control}
 * @param reasoningField the assistant-message field that echoes thinking from the history
 * back to the upstream, or {@link ReasoningField#NONE} to drop it (default, C127);
 * setting key {@code reasoning-field} with values {@code reasoning_content},
 * {@code reasoning} or {@code none}
 * @param systemAsString whether system blocks are joined with {@code "\n"} into one
 * string, for upstreams that reject content arrays in system messages (default
 * {@code false}, C108); setting key {@code system-as-string}
 * @param maxStopSequences how many stop sequences are forwarded; the rest are dropped
 * (default 4, OpenAI's limit, C122); setting key {@code max-stop-sequences}
 * @param acceptsParallelToolCalls whether {@code parallel_tool_calls} may be sent
 * (default {@code true}, C120); setting key {@code accepts-parallel-tool-calls}
 * @param streamIncludeUsage whether streaming requests ask for a usage chunk with
 * {@code stream_options.include_usage} (default {@code true}, C124); setting key
 * {@code stream-include-usage}
 * @param acceptsReasoningEffort whether {@code reasoning_effort} is sent for thinking
 * requests (default {@code true}, C125); setting key {@code accepts-reasoning-effort}
 */
public record OpenAiQuirks(String maxTokensField, boolean acceptsTopK, boolean acceptsCacheControl,
		ReasoningField reasoningField, boolean systemAsString, int maxStopSequences, boolean acceptsParallelToolCalls,
		boolean streamIncludeUsage, boolean acceptsReasoningEffort) {

	private static final OpenAiQuirks DEFAULTS = new OpenAiQuirks("max_tokens", false, false, ReasoningField.NONE,
			false, 4, true, true, true);

	public OpenAiQuirks {
		if (!"max_tokens".equals(maxTokensField) && !"max_completion_tokens".equals(maxTokensField)) {
			throw new IllegalArgumentException(
					"max-tokens-field: expected max_tokens or max_completion_tokens, got " + maxTokensField);
		}
		Objects.requireNonNull(reasoningField, "reasoningField");
		if (maxStopSequences < 0) {
			throw new IllegalArgumentException("max-stop-sequences: must not be negative, got " + maxStopSequences);
		}
	}

	/** The behaviour of OpenAI's own Chat Completions API. */
	public static OpenAiQuirks defaults() {
		return DEFAULTS;
	}

	/**
	 * Reads the quirks from an upstream account's settings. Keys are kebab-case (see the
	 * components); values may be strings, booleans or numbers, as a YAML or JSON
	 * configuration gives them. Keys this record does not know are ignored, because the
	 * settings map holds more than quirks.
	 * @param settings the account settings
	 * @return the quirks, defaults where a key is absent
	 * @throws IllegalArgumentException naming the key whose value is invalid
	 */
	public static OpenAiQuirks fromSettings(Map<String, ?> settings) {
		Settings s = new Settings(settings);
		OpenAiQuirks d = DEFAULTS;
		return new OpenAiQuirks(s.string("max-tokens-field", d.maxTokensField), s.bool("accepts-top-k", d.acceptsTopK),
				s.bool("accepts-cache-control", d.acceptsCacheControl),
				ReasoningField.fromSetting(s.string("reasoning-field", d.reasoningField.settingValue())),
				s.bool("system-as-string", d.systemAsString), s.integer("max-stop-sequences", d.maxStopSequences),
				s.bool("accepts-parallel-tool-calls", d.acceptsParallelToolCalls),
				s.bool("stream-include-usage", d.streamIncludeUsage),
				s.bool("accepts-reasoning-effort", d.acceptsReasoningEffort));
	}

	/** Where an upstream reads reasoning text of earlier assistant turns (C127). */
	public enum ReasoningField {

		/** Thinking from the history is not sent. */
		NONE(null),

		/** DeepSeek-style {@code reasoning_content}. */
		REASONING_CONTENT("reasoning_content"),

		/** vLLM 0.16+ and OpenRouter-style {@code reasoning}. */
		REASONING("reasoning");

		private final String jsonName;

		ReasoningField(String jsonName) {
			this.jsonName = jsonName;
		}

		/** The assistant-message field name, or {@code null} for {@link #NONE}. */
		public String jsonName() {
			return this.jsonName;
		}

		String settingValue() {
			return (this.jsonName != null) ? this.jsonName : "none";
		}

		static ReasoningField fromSetting(String value) {
			for (ReasoningField field : values()) {
				if (field.settingValue().equals(value.toLowerCase(Locale.ROOT))) {
					return field;
				}
			}
			throw new IllegalArgumentException(
					"reasoning-field: expected reasoning_content, reasoning or none, got " + value);
		}

	}

	private record Settings(Map<String, ?> values) {

		String string(String key, String fallback) {
			Object value = this.values.get(key);
			return (value != null) ? value.toString().trim() : fallback;
		}

		boolean bool(String key, boolean fallback) {
			Object value = this.values.get(key);
			if (value == null || value instanceof Boolean) {
				return (value != null) ? (Boolean) value : fallback;
			}
			return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
				case "true" -> true;
				case "false" -> false;
				default -> throw new IllegalArgumentException(key + ": expected true or false, got " + value);
			};
		}

		int integer(String key, int fallback) {
			Object value = this.values.get(key);
			if (value == null || value instanceof Integer) {
				return (value != null) ? (Integer) value : fallback;
			}
			try {
				return Integer.parseInt(value.toString().trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(key + ": expected an integer, got " + value, ex);
			}
		}

	}

}
