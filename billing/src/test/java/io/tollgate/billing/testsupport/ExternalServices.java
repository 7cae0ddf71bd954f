package io.tollgate.billing.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL and Redis for integration tests: from the environment when it names them
 * ({@code TOLLGATE_TEST_POSTGRES_URL}, as CI and developer machines without Docker do),
 * else from Testcontainers when a Docker engine runs, else the test is skipped with the
 * reason printed — or fails, when {@code tollgate.require-services} is true (CI), so a
 * skipped integration test can never pass unnoticed.
 */
public final class ExternalServices {

	private static PostgreSQLContainer container;

	private static GenericContainer<?> redisContainer;

	private ExternalServices() {
	}

	/**
	 * A fresh, empty PostgreSQL database for one test class.
	 * @return how to reach it
	 */
	public static synchronized Database freshPostgresDatabase() {
		String url = System.getenv("TOLLGATE_TEST_POSTGRES_URL");
		String user = envOr("TOLLGATE_TEST_POSTGRES_USER", "postgres");
		String password = envOr("TOLLGATE_TEST_POSTGRES_PASSWORD", "");
		if (url == null || url.isBlank()) {
			if (!dockerAvailable()) {
				unavailable("PostgreSQL: TOLLGATE_TEST_POSTGRES_URL is not set and no Docker engine is available");
			}
			if (container == null) {
				container = new PostgreSQLContainer("postgres:16-alpine");
				container.start();
			}
			url = container.getJdbcUrl().replace("jdbc:", "");
			user = container.getUsername();
			password = container.getPassword();
		}
		String base = url.replaceFirst("^jdbc:", "").replaceFirst("^r2dbc:", "");
		String name = "tollgate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection("jdbc:" + base, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
			dropAtExit("jdbc:" + base, user, password, name);
		}
		catch (SQLException ex) {
			unavailable("PostgreSQL at " + base + " is not reachable: " + ex.getMessage());
		}
		String server = base.substring(0, base.lastIndexOf('/'));
		return new Database(server + "/" + name, user, password);
	}

	/**
	 * A Redis server for one test class, with a key prefix no other test uses.
	 * @return the Redis URL and a fresh prefix
	 */
	public static synchronized Redis redis() {
		String url = System.getenv("TOLLGATE_TEST_REDIS_URL");
		if (url == null || url.isBlank()) {
			if (!dockerAvailable()) {
				unavailable("Redis: TOLLGATE_TEST_REDIS_URL is not set and no Docker engine is available");
			}
			if (redisContainer == null) {
				redisContainer = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
				redisContainer.start();
			}
			url = "redis://" + redisContainer.getHost() + ":" + redisContainer.getMappedPort(6379);
		}
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(url);
		try (var connection = client.connect()) {
			connection.sync().ping();
		}
		catch (RuntimeException ex) {
			unavailable("Redis at " + url + " is not reachable: " + ex.getMessage());
		}
		finally {
			client.shutdown();
		}
		String prefix = "tollgate-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		return new Redis(url, prefix);
	}

	private static void dropAtExit(String adminUrl, String user, String password, String name) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
					Statement statement = connection.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
			catch (SQLException ex) {
				System.err.println("Could not drop test database " + name + ": " + ex.getMessage());
			}
		}));
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Skips the test with the reason printed, or fails it when services are required. */
	public static void unavailable(String reason) {
		if (Boolean.getBoolean("tollgate.require-services")) {
			throw new IllegalStateException("Required test service unavailable: " + reason);
		}
		System.out.println("SKIPPED (service unavailable): " + reason);
		Assumptions.abort(reason);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/**
	 * A database to test against.
	 *
	 * @param url {@code postgresql://host:port/name}, without a driver prefix
	 * @param username user
	 * @param password password
	 */
	public record Database(String url, String username, String password) {

		/**
		 * Points a test application at this database. Sets the derived Spring properties
		 * too: dynamic test properties arrive after Tollgate's environment post-processor
		 * has derived them from {@code tollgate.database.url}.
		 */
		public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
			registry.add("tollgate.database.url", this::url);
			registry.add("tollgate.database.username", this::username);
			registry.add("tollgate.database.password", this::password);
			registry.add("spring.r2dbc.url", () -> "r2dbc:" + this.url);
			registry.add("spring.r2dbc.username", this::username);
			registry.add("spring.r2dbc.password", this::password);
			registry.add("spring.flyway.url", () -> "jdbc:" + this.url);
			registry.add("spring.flyway.user", this::username);
			registry.add("spring.flyway.password", this::password);
			registry.add("tollgate.master-key", () -> "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
		}

	}

	/**
	 * A Redis server to test against.
	 *
	 * @param url {@code redis://host:port}
	 * @param prefix key prefix unique to this test class
	 */
	public record Redis(String url, String prefix) {

		/** Points a test application at this Redis. */
		public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
			registry.add("tollgate.redis.url", this::url);
			registry.add("tollgate.redis.prefix", this::prefix);
		}

	}

}
