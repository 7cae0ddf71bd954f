package io.tollgate.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh Tollgate admin plane for a test class: its own data directory, a bootstrap file
 * with one tenant, group, account and key, and a known first admin.
 */
public final class AdminTestSupport {

	public static final String ADMIN = "root";

	public static final String PASSWORD = "correct-horse-battery";

	public static final String TENANT_KEY = "tg-admin-test-key-0000000000000000000000";

	private AdminTestSupport() {
	}

	public static void register(DynamicPropertyRegistry registry) {
		try {
			Path dataDir = Files.createTempDirectory("tollgate-admin-test");
			Path bootstrap = dataDir.resolve("bootstrap.yml");
			Files.writeString(bootstrap, """
					tenants:
					  - name: acme
					    balance: "10"
					accounts:
					  - name: primary
					    platform: anthropic
					    base-url: http://127.0.0.1:9
					    credential: sk-ant-admin-test-credential
					groups:
					  - name: claude
					    platform: anthropic
					    accounts:
					      - name: primary
					prices:
					  - model: "claude-*"
					    input: "3"
					    output: "15"
					    effective-from: "2020-01-01"
					keys:
					  - name: default
					    tenant: acme
					    group: claude
					    key: %s
					""".formatted(TENANT_KEY));
			registry.add("tollgate.data-dir", dataDir::toString);
			registry.add("tollgate.bootstrap-file", bootstrap::toString);
			registry.add("tollgate.admin.username", () -> ADMIN);
			registry.add("tollgate.admin.password", () -> PASSWORD);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
