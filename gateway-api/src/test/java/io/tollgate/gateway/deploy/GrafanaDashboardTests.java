package io.tollgate.gateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard is valid JSON and queries only the metrics Tollgate exports.
 */
class GrafanaDashboardTests {

	private static final Set<String> METRICS = Set.of("tollgate_requests_total", "tollgate_tokens_total",
			"tollgate_cost_total", "tollgate_request_duration_seconds_bucket",
			"tollgate_time_to_first_token_seconds_bucket", "tollgate_request_errors_total", "tollgate_account_health",
			"tollgate_prompt_cache_hit_ratio", "tollgate_usage_journal_backlog");

	@Test
	void everyPanelQueriesAKnownTollgateMetric() throws Exception {
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("..", "deploy", "grafana", "tollgate.json")));
		assertThat(dashboard.path("uid").asString()).isEqualTo("tollgate");
		List<String> expressions = new ArrayList<>();
		dashboard.path("panels")
			.forEach((panel) -> panel.path("targets")
				.forEach((target) -> expressions.add(target.path("expr").asString())));
		assertThat(expressions).hasSizeGreaterThan(10);
		Pattern metric = Pattern.compile("tollgate_[a-z_]+");
		Set<String> used = new java.util.HashSet<>();
		for (String expression : expressions) {
			Matcher matcher = metric.matcher(expression);
			assertThat(matcher.find()).as(expression).isTrue();
			do {
				used.add(matcher.group());
			}
			while (matcher.find());
		}
		assertThat(METRICS).containsAll(used);
		assertThat(used).containsAll(METRICS);
	}

}
