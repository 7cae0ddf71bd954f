package io.tollgate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.health.AccountHealthBoard;
import io.tollgate.gateway.fake.FakeUpstream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A Tollgate for end-to-end tests: a fresh data directory and a bootstrap file whose
 * accounts point at a fake upstream.
 */
public final class GatewayTestSupport {

	public static final String KEY = "tg-e2e-key-00000000000000000000000000000";

	public static final String FAILOVER_KEY = "tg-e2e-failover-000000000000000000000000";

	public static final String DEAD_KEY = "tg-e2e-dead-0000000000000000000000000000";

	public static final String OPENAI_KEY = "tg-e2e-openai-00000000000000000000000000";

	public static final String OPENAI_STRICT_KEY = "tg-e2e-openai-strict-0000000000000000000";

	public static final String OPENAI_CREDENTIAL = "sk-openai-account";

	public static final String CREDENTIAL_A = "sk-ant-account-a";

	public static final String CREDENTIAL_B = "sk-ant-account-b";

	/** A key of the group {@code balanced}: accounts route-a and route-b, same tier. */
	public static final String ROUTING_KEY = "tg-e2e-routing-0000000000000000000000000";

	/** A key of the group {@code limited}: account limited-a, at most two in flight. */
	public static final String LIMITED_KEY = "tg-e2e-limited-0000000000000000000000000";

	/**
	 * A key of the group {@code capable}: route-a, and text-only, which takes neither
	 * images nor thinking but retains no data.
	 */
	public static final String CAPABLE_KEY = "tg-e2e-capable-0000000000000000000000000";

	public static final String CREDENTIAL_ROUTE_A = "sk-ant-route-a";

	public static final String CREDENTIAL_ROUTE_B = "sk-ant-route-b";

	public static final String CREDENTIAL_LIMITED = "sk-ant-limited-a";

	public static final String CREDENTIAL_TEXT_ONLY = "sk-ant-text-only";

	private GatewayTestSupport() {
	}

	/**
	 * Registers the properties of a gateway in front of the given fake.
	 * @param registry the test's dynamic properties
	 * @param fake the fake upstream
	 */
	public static void register(DynamicPropertyRegistry registry, FakeUpstream fake) {
		try {
			Path dataDir = Files.createTempDirectory("tollgate-e2e");
			Path bootstrap = dataDir.resolve("bootstrap.yml");
			Files.writeString(bootstrap, bootstrap(fake.baseUrl()));
			registry.add("tollgate.data-dir", dataDir::toString);
			registry.add("tollgate.bootstrap-file", bootstrap::toString);
			registry.add("tollgate.billing.usage-flush-interval", () -> "50ms");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Clears every account's cooldown and breaker, so one test's rate limits do not
	 * follow the next one.
	 * @param health the gateway's account health
	 */
	public static void resetHealth(AccountHealthBoard health) {
		health.all()
			.flatMapIterable((all) -> all)
			.concatMap((account) -> health.reset(account.accountId()))
			.then()
			.block(Duration.ofSeconds(10));
	}

	/**
	 * The id of an account of the bootstrap file.
	 * @param directory the gateway's directory
	 * @param name the account's name
	 * @return its id
	 */
	public static long accountId(Directory directory, String name) {
		return directory.snapshot()
			.groups()
			.values()
			.stream()
			.flatMap((group) -> group.members().stream())
			.filter((member) -> member.account().name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No account " + name))
			.account()
			.id();
	}

	static String bootstrap(String baseUrl) {
		return """
				tenants:
				  - name: acme
				    balance: "100"
				accounts:
				  - name: account-a
				    platform: anthropic
				    base-url: %1$s
				    credential: %2$s
				  - name: account-b
				    platform: anthropic
				    base-url: %1$s/
				    credential: %3$s
				  - name: dead
				    platform: anthropic
				    base-url: http://127.0.0.1:9
				    credential: sk-dead
				  - name: openai-account
				    platform: openai
				    base-url: %1$s/v1
				    credential: %7$s
				    quirks:
				      max-tokens-field: max_completion_tokens
				  - name: route-a
				    platform: anthropic
				    base-url: %1$s
				    credential: %10$s
				  - name: route-b
				    platform: anthropic
				    base-url: %1$s
				    credential: %11$s
				  - name: limited-a
				    platform: anthropic
				    base-url: %1$s
				    credential: %12$s
				    concurrency: 2
				  - name: text-only
				    platform: anthropic
				    base-url: %1$s
				    credential: %13$s
				    supports-images: false
				    supports-thinking: false
				    zdr: true
				groups:
				  - name: claude
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				      "exact-model": "claude-haiku-4-5"
				    accounts: [account-a]
				  - name: pool
				    platform: anthropic
				    multiplier: "2"
				    accounts:
				      - name: account-a
				        priority: 0
				      - name: account-b
				        priority: 1
				  - name: unreachable
				    platform: anthropic
				    accounts: [dead]
				  - name: gpt
				    platform: openai
				    estimate-count-tokens: true
				    model-mapping:
				      "claude-*": "gpt-4o-mini"
				    accounts: [openai-account]
				  - name: gpt-strict
				    platform: openai
				    model-mapping:
				      "claude-*": "gpt-4o-mini"
				    accounts: [openai-account]
				  - name: balanced
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts: [route-a, route-b]
				  - name: limited
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts: [limited-a]
				  - name: capable
				    platform: anthropic
				    model-mapping:
				      "claude-*": "claude-sonnet-4-5"
				    accounts: [route-a, text-only]
				prices:
				  - model: "claude-*"
				    input: "3"
				    output: "15"
				    cache-write-5m: "3.75"
				    cache-write-1h: "6"
				    cache-read: "0.30"
				  - model: "gpt-4o-mini"
				    input: "0.15"
				    output: "0.60"
				    cache-read: "0.075"
				keys:
				  - name: e2e
				    tenant: acme
				    group: claude
				    key: %4$s
				  - name: failover
				    tenant: acme
				    group: pool
				    key: %5$s
				  - name: dead
				    tenant: acme
				    group: unreachable
				    key: %6$s
				  - name: openai
				    tenant: acme
				    group: gpt
				    key: %8$s
				  - name: openai-strict
				    tenant: acme
				    group: gpt-strict
				    key: %9$s
				  - name: routing
				    tenant: acme
				    group: balanced
				    key: %14$s
				  - name: limited
				    tenant: acme
				    group: limited
				    key: %15$s
				  - name: capable
				    tenant: acme
				    group: capable
				    key: %16$s
				""".formatted(baseUrl, CREDENTIAL_A, CREDENTIAL_B, KEY, FAILOVER_KEY, DEAD_KEY, OPENAI_CREDENTIAL,
				OPENAI_KEY, OPENAI_STRICT_KEY, CREDENTIAL_ROUTE_A, CREDENTIAL_ROUTE_B, CREDENTIAL_LIMITED,
				CREDENTIAL_TEXT_ONLY, ROUTING_KEY, LIMITED_KEY, CAPABLE_KEY);
	}

}
