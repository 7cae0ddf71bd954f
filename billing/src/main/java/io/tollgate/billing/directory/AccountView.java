package io.tollgate.billing.directory;

import java.util.List;
import java.util.Map;

/**
 * An upstream account as the router sees it, credential decrypted in memory.
 *
 * @param id account id
 * @param name unique name
 * @param platform protocol it speaks
 * @param baseUrl base URL, e.g. {@code https://api.anthropic.com}
 * @param credential API key for the upstream
 * @param models models it serves (globs allowed); empty means any
 * @param modelMapping its own mapping applied after the group's; empty means none
 * @param supportsCountTokens whether it answers {@code count_tokens}
 * @param supportsThinking whether it accepts thinking requests
 * @param supportsImages whether it accepts image input
 * @param concurrencyLimit in-flight requests it may carry, or {@code null} for unlimited
 * @param priority lower is tried first
 * @param weight share of load within a priority tier
 * @param zdr whether it is a zero-data-retention account
 * @param quirks protocol knobs for OpenAI-compatible upstreams
 * @param status {@code active} or {@code disabled}
 */
public record AccountView(long id, String name, Platform platform, String baseUrl, Secret credential,
		List<String> models, Map<String, String> modelMapping, boolean supportsCountTokens, boolean supportsThinking,
		boolean supportsImages, Integer concurrencyLimit, int priority, int weight, boolean zdr,
		Map<String, Object> quirks, String status) {

	public boolean active() {
		return "active".equals(this.status);
	}

}
