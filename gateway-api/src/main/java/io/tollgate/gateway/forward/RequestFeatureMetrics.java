package io.tollgate.gateway.forward;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.gateway.messages.GatewayRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Counts what clients send that Tollgate does not know or cannot pass on, so that a new
 * Claude Code release that sends something new is noticed:
 * <ul>
 * <li>{@code tollgate.requests.beta{beta,platform}}: each {@code anthropic-beta} value,
 * labelled with its name when it is on the known list, else {@code other};
 * <li>{@code tollgate.requests.unknown_beta{platform}}: the values not on the known list
 * (their names are logged once each, up to {@value #MAX_LOGGED} names);
 * <li>{@code tollgate.requests.dropped_field{field,platform}}: top-level request fields
 * an OpenAI conversion does not carry, labelled with the field when it is a known
 * Anthropic-only one, else {@code other}.
 * </ul>
 * Label values come from the fixed lists below only.
 */
@Component
public class RequestFeatureMetrics {

	private static final Logger logger = LoggerFactory.getLogger(RequestFeatureMetrics.class);

	/**
	 * The betas of the Anthropic SDKs' {@code AnthropicBeta} type and of Claude Code 2.1.
	 */
	static final Set<String> KNOWN_BETAS = Set.of("message-batches-2024-09-24", "prompt-caching-2024-07-31",
			"computer-use-2024-10-22", "computer-use-2025-01-24", "computer-use-2025-11-24", "pdfs-2024-09-25",
			"token-counting-2024-11-01", "token-efficient-tools-2025-02-19", "output-128k-2025-02-19",
			"files-api-2025-04-14", "mcp-client-2025-04-04", "mcp-client-2025-11-20", "dev-full-thinking-2025-05-14",
			"interleaved-thinking-2025-05-14", "code-execution-2025-05-22", "code-execution-2025-08-25",
			"extended-cache-ttl-2025-04-11", "context-1m-2025-08-07", "context-management-2025-06-27",
			"model-context-window-exceeded-2025-08-26", "skills-2025-10-02", "claude-code-20250219", "oauth-2025-04-20",
			"fine-grained-tool-streaming-2025-05-14", "effort-2025-11-24", "structured-outputs-2025-11-13",
			"advanced-tool-use-2025-11-20", "tool-search-tool-2025-10-19", "web-search-2025-03-05",
			"web-fetch-2025-09-10", "search-results-2025-06-09");

	/**
	 * The top-level fields an OpenAI conversion carries, converted or as they are; every
	 * other field is dropped.
	 */
	static final Set<String> CONVERTED_FIELDS = Set.of("model", "messages", "system", "max_tokens", "stream",
			"temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice", "thinking", "output_config",
			"output_format", "metadata");

	/** Anthropic-only fields an OpenAI conversion drops, named in the metric. */
	static final Set<String> KNOWN_DROPPED = Set.of("context_management", "container", "mcp_servers", "service_tier",
			"inference_geo", "speed", "top_k", "cache_control");

	static final String OTHER = "other";

	private static final int MAX_LOGGED = 64;

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Set<String> logged = ConcurrentHashMap.newKeySet();

	public RequestFeatureMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Counts the betas of a request, once per request whatever the attempts.
	 * @param request the request
	 * @param headers the client's headers
	 * @param platform the platform of the request's group
	 */
	void betas(GatewayRequest request, HttpHeaders headers, String platform) {
		for (String value : headers.getOrEmpty("anthropic-beta")) {
			for (String beta : value.split(",")) {
				String name = beta.trim().toLowerCase(Locale.ROOT);
				if (name.isEmpty()) {
					continue;
				}
				boolean known = KNOWN_BETAS.contains(name);
				counter("tollgate.requests.beta", "beta", known ? name : OTHER, platform).increment();
				if (!known) {
					counter("tollgate.requests.unknown_beta", null, null, platform).increment();
					if (this.logged.size() < MAX_LOGGED && this.logged.add(name)) {
						logger.info("Request {} uses the anthropic-beta {}, which Tollgate does not know yet",
								request.id(), printable(name));
					}
				}
			}
		}
	}

	/**
	 * Counts the top-level fields an OpenAI conversion drops.
	 * @param request the client's request, as a tree
	 * @param topKForwarded whether the account takes {@code top_k}
	 * @return the dropped fields, for tests and logs
	 */
	List<String> dropped(JsonNode request, boolean topKForwarded) {
		List<String> dropped = request.propertyNames()
			.stream()
			.filter((field) -> !field.equals("gateway"))
			.filter((field) -> !CONVERTED_FIELDS.contains(field) || (field.equals("top_k") && !topKForwarded))
			.toList();
		for (String field : dropped) {
			counter("tollgate.requests.dropped_field", "field", KNOWN_DROPPED.contains(field) ? field : OTHER, "openai")
				.increment();
		}
		return dropped;
	}

	private Counter counter(String name, String tag, String value, String platform) {
		String key = name + '|' + value + '|' + platform;
		Counter counter = this.counters.get(key);
		if (counter == null) {
			Counter.Builder builder = Counter.builder(name).tag("platform", platform);
			if (tag != null) {
				builder.tag(tag, value);
			}
			counter = this.counters.computeIfAbsent(key, (k) -> builder.register(this.registry));
		}
		return counter;
	}

	/** A header value cut to a readable, loggable form. */
	private static String printable(String value) {
		StringBuilder out = new StringBuilder(Math.min(value.length(), 80));
		for (int i = 0; i < value.length() && out.length() < 80; i++) {
			char c = value.charAt(i);
			out.append((c >= 0x20 && c < 0x7f) ? c : '?');
		}
		return out.toString();
	}

}
