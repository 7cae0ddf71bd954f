package io.tollgate.admin;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.tollgate.admin.ConsoleSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every console form, posted as the pages name their fields, changes what it says, and
 * bad input comes back as an error page rather than a server error.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsolePagesTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	ConsoleSession admin;

	@BeforeEach
	void login() {
		WebTestClient http = TestClients.http(this.port);
		this.admin = ConsoleSession.login(http, AdminTestSupport.ADMIN, AdminTestSupport.PASSWORD);
	}

	@Test
	void tenantsAreCreatedEditedSuspendedAndToppedUp() {
		assertThat(this.admin.postStatus("/admin/tenants", form("name", "globex", "defaultRpm", "120")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long id = value("SELECT id FROM tenant WHERE name = 'globex'");
		String page = this.admin.get("/admin/tenants/" + id).getResponseBody();
		assertThat(page).contains("globex").contains("ledger-form");
		assertThat(this.admin.postStatus("/admin/tenants/" + id,
				form("name", "globex-corp", "defaultConcurrency", "3", "defaultRpm", "90", "maxConcurrency", "12")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(value("SELECT default_rpm FROM tenant WHERE name = 'globex-corp'")).isEqualTo(90);
		assertThat(value("SELECT max_concurrency FROM tenant WHERE name = 'globex-corp'")).isEqualTo(12);
		assertThat(this.admin.postStatus("/admin/tenants/" + id,
				form("name", "globex-corp", "maxConcurrency", "12", "overdraftLimit", "4.5")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/tenants/" + id).getResponseBody()).contains("value=\"4.5\"");
		assertThat(this.admin.postStatus("/admin/tenants/" + id + "/status", form("status", "suspended")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/tenants/" + id + "/ledger",
				form("kind", "topup", "amount", "12.50", "reason", "card")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/tenants/" + id).getResponseBody()).contains("12.5")
			.contains("suspended")
			.contains("card");
		assertThat(this.admin.postStatus("/admin/tenants/" + id + "/ledger",
				form("kind", "topup", "amount", "-3", "reason", "oops")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.postStatus("/admin/tenants", form("name", "globex-corp")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.get("/admin/tenants/999999").getStatus().value()).isEqualTo(404);
	}

	@Test
	void keysAreIssuedEditedAndRevoked() {
		long tenant = value("SELECT id FROM tenant WHERE name = 'acme'");
		long group = value("SELECT id FROM api_group WHERE name = 'claude'");
		var issued = this.admin.post("/admin/keys", form("tenantId", Long.toString(tenant), "groupId",
				Long.toString(group), "name", "console-key", "expiresAt", "2099-12-31", "ipAllow", "10.0.0.0/8"));
		assertThat(issued.getStatus().value()).isEqualTo(200);
		assertThat(new String(issued.getResponseBody())).contains("ANTHROPIC_AUTH_TOKEN=tg-");
		long key = value("SELECT id FROM api_key WHERE name = 'console-key'");
		assertThat(this.admin.get("/admin/keys/" + key).getResponseBody()).contains("10.0.0.0/8")
			.doesNotContain("ANTHROPIC_AUTH_TOKEN");
		assertThat(this.admin.postStatus("/admin/keys/" + key, form("groupId", Long.toString(group), "allowedModels",
				"a, b", "concurrencyLimit", "2", "spendQuota", "9.5")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(value("SELECT concurrency_limit FROM api_key WHERE id = " + key)).isEqualTo(2);
		assertThat(this.admin.postStatus("/admin/keys/" + key + "/revoke", form())).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/keys").getResponseBody()).contains("revoked");
	}

	@Test
	void groupsAccountsPlansAndPricesAreEdited() {
		assertThat(this.admin.postStatus("/admin/groups", form("name", "console-group", "platform", "anthropic",
				"billingMode", "subscription", "multiplier", "2")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long group = value("SELECT id FROM api_group WHERE name = 'console-group'");
		assertThat(this.admin.postStatus("/admin/groups/" + group,
				form("name", "console-group", "platform", "anthropic", "billingMode", "subscription", "multiplier",
						"2.5", "stickyTtlSeconds", "60", "modelMapping", "claude-* = claude-sonnet-4-5\n* = x")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/groups/" + group).getResponseBody()).contains("claude-* = claude-sonnet-4-5");
		assertThat(value("SELECT COUNT(*) FROM api_group WHERE id = " + group + " AND admission_policy IS NULL"))
			.as("the configured default")
			.isEqualTo(1);
		assertThat(this.admin.postStatus("/admin/groups/" + group, form("name", "console-group", "platform",
				"anthropic", "billingMode", "subscription", "admissionPolicy", "strict")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/groups/" + group).getResponseBody())
			.contains("<option value=\"strict\" selected=\"selected\">");
		assertThat(this.admin.postStatus("/admin/groups/" + group,
				form("name", "console-group", "platform", "anthropic", "admissionPolicy", "sometimes")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.postStatus("/admin/groups/" + group,
				form("name", "console-group", "platform", "anthropic", "modelMapping", "no arrow here")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.postStatus("/admin/accounts", form("name", "console-account", "platform", "anthropic",
				"baseUrl", "https://api.anthropic.com", "credential", "sk-ant-console-5555", "priority", "1")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long account = value("SELECT id FROM upstream_account WHERE name = 'console-account'");
		assertThat(this.admin.postStatus("/admin/accounts/" + account,
				form("name", "console-account", "platform", "anthropic", "baseUrl", "https://api.anthropic.com",
						"credential", "", "models", "claude-sonnet-4-5", "weight", "3", "status", "disabled")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		String accountPage = this.admin.get("/admin/accounts/" + account).getResponseBody();
		assertThat(accountPage).contains("••••5555").doesNotContain("sk-ant-console-5555");
		assertThat(this.admin.postStatus("/admin/groups/" + group + "/members",
				form("accountId", Long.toString(account), "priority", "4")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/groups/" + group + "/members/" + account + "/remove", form()))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/plans",
				form("name", "console-plan", "groupId", Long.toString(group), "dailyLimit", "3")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long plan = value("SELECT id FROM plan WHERE name = 'console-plan'");
		long tenant = value("SELECT id FROM tenant WHERE name = 'acme'");
		assertThat(this.admin.postStatus("/admin/subscriptions",
				form("tenantId", Long.toString(tenant), "planId", Long.toString(plan), "startsAt", "2025-01-01")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/plans").getResponseBody()).contains("console-plan").contains("acme");
		assertThat(this.admin.postStatus("/admin/prices",
				form("modelPattern", "claude-console-*", "input", "2", "output", "8", "effectiveFrom", "2026-02-01")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/prices").getResponseBody()).contains("claude-console-*");
	}

	@Test
	void aGroupsRouterModelMustBeOneOfItsAccountsServes() {
		assertThat(this.admin.postStatus("/admin/groups", form("name", "router-group", "platform", "anthropic")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long group = value("SELECT id FROM api_group WHERE name = 'router-group'");
		assertThat(this.admin.postStatus("/admin/groups/" + group,
				form("name", "router-group", "platform", "anthropic", "routerModel", "claude-haiku-4-5")))
			.as("no account serves it yet")
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.postStatus("/admin/accounts",
				form("name", "router-account", "platform", "anthropic", "baseUrl", "https://api.anthropic.com",
						"credential", "sk-ant-router-6666", "models", "claude-haiku-*")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long account = value("SELECT id FROM upstream_account WHERE name = 'router-account'");
		assertThat(
				this.admin.postStatus("/admin/groups/" + group + "/members", form("accountId", Long.toString(account))))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/groups/" + group, form("name", "router-group", "platform", "anthropic",
				"routerModel", "claude-haiku-4-5", "intentDefaults", "{\"mediaOptimization\": true}")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/groups/" + group).getResponseBody()).contains("value=\"claude-haiku-4-5\"")
			.contains("mediaOptimization");
		assertThat(this.admin.postStatus("/admin/groups/" + group,
				form("name", "router-group", "platform", "anthropic", "routerModel", "claude-opus-4-1")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.admin.postStatus("/admin/groups/" + group, form("name", "router-group", "platform", "anthropic",
				"routerModel", "claude-haiku-4-5", "intentDefaults", "{not json")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(value("SELECT COUNT(*) FROM api_group WHERE id = " + group
				+ " AND router_model = 'claude-haiku-4-5' AND intent_defaults LIKE '%mediaOptimization%'"))
			.as("refused changes left the last accepted settings")
			.isEqualTo(1);
	}

	@Test
	void theUsagePageShowsWhereIntentRoutingSentARequest() {
		// no input tokens: the dashboard's cache hit rate other tests read stays as it is
		long tenant = value("SELECT id FROM tenant WHERE name = 'acme'");
		this.db.sql("""
				INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, upstream_model,
				    stream, input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens,
				    cache_read_tokens, list_cost, charged_cost, outcome, http_status, latency_ms, started_at,
				    intent_tag, routed_model, intent_outcome, planning_input_tokens, planning_output_tokens,
				    planning_cost, context_tokens_saved)
				VALUES ('console-intent-1', :t, 1, 1, 'claude-sonnet-4-5', 'claude-opus-4-1', FALSE, 0, 10, 0, 0, 0,
				    0.001, 0.001, 'ok', 200, 50, :at, 'coding', 'claude-opus-4-1', 'routed', 120, 20, 0.0002, 345)""")
			.bind("t", tenant)
			.bind("at", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(5))
			.then()
			.block(Duration.ofSeconds(10));
		String page = this.admin.get("/admin/usage").getResponseBody();
		assertThat(page).contains("console-intent-1")
			.contains(" → claude-opus-4-1")
			.contains("intent: routed, tag coding, planning 0.0002, 345 tokens saved");
	}

	@Test
	void theDashboardTenantAndAccountPagesShowThePromptCacheHitRate() {
		assertThat(this.admin.postStatus("/admin/accounts", form("name", "cache-account", "platform", "anthropic",
				"baseUrl", "https://api.anthropic.com", "credential", "sk-ant-cache-7777")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		long account = value("SELECT id FROM upstream_account WHERE name = 'cache-account'");
		long tenant = value("SELECT id FROM tenant WHERE name = 'acme'");
		// 750 read of 1250 cacheable (250 input, 250 written, 750 read), then 250 input:
		// 750 / 1500
		for (int i = 0; i < 2; i++) {
			this.db.sql("""
					INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, account_id, requested_model,
					    upstream_model, stream, input_tokens, output_tokens, cache_creation_tokens,
					    cache_creation_5m_tokens, cache_read_tokens, list_cost, charged_cost, outcome, http_status,
					    latency_ms, started_at)
					VALUES (:id, :t, 1, 1, :a, 'claude-x', 'claude-cache-model', FALSE, 250, 10, :w, :w, :r, 0, 0, 'ok',
					    200, 50, :at)""")
				.bind("id", "console-cache-" + i)
				.bind("t", tenant)
				.bind("a", account)
				.bind("w", (i == 0) ? 250L : 0L)
				.bind("r", (i == 0) ? 750L : 0L)
				.bind("at", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(5))
				.then()
				.block(Duration.ofSeconds(10));
		}
		for (String page : new String[] { "/admin", "/admin/tenants/" + tenant, "/admin/accounts/" + account }) {
			assertThat(this.admin.get(page).getResponseBody()).as(page)
				.contains("Prompt-cache hit rate")
				.contains("<span class=\"muted\" id=\"cache-hit-rate\">50.0%</span>")
				.contains("claude-cache-model")
				.contains("aria-label=\"Prompt-cache hit rate per day\"");
		}
		assertThat(this.admin.get("/admin").getResponseBody()).contains("cache-account");
	}

	@Test
	void usersAndTokensAreManaged() {
		assertThat(this.admin.postStatus("/admin/users",
				form("username", "finn", "password", "a-long-enough-password", "role", "finance")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/users", form("username", "short", "password", "x", "role", "admin")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
		var token = this.admin.post("/admin/tokens", form("name", "ci", "role", "finance"));
		assertThat(new String(token.getResponseBody())).contains("tga-");
		long id = value("SELECT id FROM admin_token WHERE name = 'ci'");
		assertThat(this.admin.postStatus("/admin/tokens/" + id + "/revoke", form())).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.postStatus("/admin/users/finn/status", form("status", "disabled")))
			.isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(this.admin.get("/admin/audit").getResponseBody()).contains("user.create")
			.contains("token.issue")
			.contains("token.revoke")
			.contains("user.disabled");
	}

	private long value(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(Duration.ofSeconds(10));
	}

}
