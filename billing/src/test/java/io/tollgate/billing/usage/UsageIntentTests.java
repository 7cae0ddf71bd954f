package io.tollgate.billing.usage;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.journal.JournalCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The V15 intent columns: a group's router model and defaults from the bootstrap file
 * reach the directory, a request's intent decision and planning usage reach its usage
 * record (through the journal's JSON too), and a router model no account serves is
 * refused at start. Run on H2 and on PostgreSQL by the subclasses.
 */
abstract class UsageIntentTests {

	@TempDir
	Path dataDir;

	/** Properties pointing a node at this test's database; empty for the embedded H2. */
	abstract Map<String, Object> database();

	@Test
	void recordsTheIntentDecisionAndThePlanningUsageOfARequest() throws Exception {
		try (ConfigurableApplicationContext node = UsagePoisonTests.start(properties(bootstrap("claude-sonnet-4-5")))) {
			Directory directory = node.getBean(Directory.class);
			KeyGrant grant = directory.authenticate(UsagePoisonTests.KEY).orElseThrow();
			GroupView group = directory.snapshot().groups().get(grant.groupId());
			assertThat(group.routerModel()).isEqualTo("claude-sonnet-4-5");
			assertThat(group.intentDefaults()).contains("mediaOptimization");
			UsageEvent.Intent intent = new UsageEvent.Intent("coding", "claude-sonnet-4-5", "routed", 120, 30,
					new BigDecimal("0.0012345678"), 4321);
			UsageEvent event = new UsageEvent("req_intent_1", grant.tenant().id(), grant.keyId(), grant.groupId(), null,
					"claude-auto", "claude-sonnet-4-5", false, new TokenCounts(1000, 200, 0, 0, 0), false, Outcome.OK,
					200, Instant.parse("2025-06-01T00:00:00Z"), 900, 100L, BillingMode.BALANCE, new BigDecimal("1.5"),
					new Cost(new BigDecimal("0.0072345678"), new BigDecimal("0.0102345678"), null), null, null, null,
					null, null, null, intent);
			assertThat(JournalCodec.write(event)).contains("\"planningCost\"");
			UsageRecorder recorder = node.getBean(UsageRecorder.class);
			recorder.record(event);
			recorder.record(UsagePoisonTests.usage("req_intent_none", grant, "claude-sonnet-4-5"));
			recorder.flush().block(Duration.ofSeconds(30));
			DatabaseClient db = node.getBean(DatabaseClient.class);
			Map<String, Object> row = db.sql("SELECT * FROM usage_record WHERE request_id = 'req_intent_1'")
				.fetch()
				.one()
				.map(UsageIntentTests::lowerCased)
				.block(Duration.ofSeconds(10));
			assertThat(row).containsEntry("intent_tag", "coding")
				.containsEntry("routed_model", "claude-sonnet-4-5")
				.containsEntry("intent_outcome", "routed")
				.containsEntry("planning_input_tokens", 120L)
				.containsEntry("planning_output_tokens", 30L)
				.containsEntry("context_tokens_saved", 4321L);
			assertThat((BigDecimal) row.get("planning_cost")).isEqualByComparingTo("0.0012345678");
			assertThat((BigDecimal) row.get("charged_cost")).isEqualByComparingTo("0.0102345678");
			Map<String, Object> none = db.sql("SELECT * FROM usage_record WHERE request_id = 'req_intent_none'")
				.fetch()
				.one()
				.map(UsageIntentTests::lowerCased)
				.block(Duration.ofSeconds(10));
			assertThat(none).containsEntry("intent_outcome", null)
				.containsEntry("planning_cost", null)
				.containsEntry("context_tokens_saved", null);
		}
	}

	@Test
	void refusesToStartWithARouterModelTheGroupDoesNotServe() throws Exception {
		Map<String, Object> properties = properties(bootstrap("gpt-4o-mini"));
		assertThatThrownBy(() -> UsagePoisonTests.start(properties).close())
			.hasStackTraceContaining("Router model gpt-4o-mini is not mapped by this group");
	}

	private String bootstrap(String routerModel) throws Exception {
		String base = Files.readString(new ClassPathResource("bootstrap-test.yml").getFile().toPath());
		String withModels = base.replace("    credential: ${TEST_UPSTREAM_KEY:sk-ant-test-credential}\n",
				"    credential: ${TEST_UPSTREAM_KEY:sk-ant-test-credential}\n    models: [\"claude-sonnet-*\"]\n");
		String withRouter = withModels.replace("      \"claude-*\": \"claude-sonnet-4-5\"\n",
				"      \"claude-*\": \"claude-sonnet-4-5\"\n    router-model: " + routerModel + "\n"
						+ "    intent-defaults:\n      mediaOptimization: true\n");
		assertThat(withRouter).contains("router-model").contains("models: [");
		Path file = this.dataDir.resolve("bootstrap-intent.yml");
		Files.writeString(file, withRouter);
		return file.toString();
	}

	private Map<String, Object> properties(String bootstrap) {
		Map<String, Object> properties = new HashMap<>(database());
		properties.put("tollgate.data-dir", this.dataDir.toString());
		properties.put("tollgate.bootstrap-file", bootstrap);
		properties.put("tollgate.billing.usage-flush-interval", "1h");
		return properties;
	}

	private static Map<String, Object> lowerCased(Map<String, Object> row) {
		Map<String, Object> lower = new HashMap<>();
		row.forEach((column, value) -> lower.put(column.toLowerCase(java.util.Locale.ROOT), value));
		return lower;
	}

}
