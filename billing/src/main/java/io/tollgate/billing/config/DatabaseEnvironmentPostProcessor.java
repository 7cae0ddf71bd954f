package io.tollgate.billing.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns one setting, {@code tollgate.database.url} ({@code TOLLGATE_DATABASE_URL}), into
 * the R2DBC URL the application uses and the JDBC URL Flyway migrates with. Without it,
 * both point at the embedded H2 file database under {@code tollgate.data-dir}. Explicit
 * {@code spring.r2dbc.*} / {@code spring.flyway.*} settings still win.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

	private static String absolute(String path) {
		return Path.of(path).toAbsolutePath().normalize().toString();
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("tollgate.database.url", "").trim();
		String user = environment.getProperty("tollgate.database.username", "");
		String password = environment.getProperty("tollgate.database.password", "");
		Map<String, Object> derived = new HashMap<>();
		if (url.isEmpty()) {
			// A data directory set after this runs (dynamic test properties) still
			// counts: the URLs refer to
			// it by placeholder, resolved when they are read.
			String configured = environment.getProperty("tollgate.data-dir");
			String dataDir = (configured != null) ? absolute(configured)
					: "${tollgate.data-dir:" + absolute("./data") + "}";
			String file = dataDir + "/tollgate";
			derived.put("spring.r2dbc.url", "r2dbc:h2:file:///" + file + H2_OPTIONS);
			derived.put("spring.flyway.url", "jdbc:h2:file:" + file + H2_OPTIONS);
			user = user.isEmpty() ? "sa" : user;
		}
		else {
			String bare = url.replaceFirst("^(jdbc:|r2dbc:)", "");
			derived.put("spring.r2dbc.url", "r2dbc:" + bare);
			derived.put("spring.flyway.url", "jdbc:" + bare);
		}
		derived.put("spring.r2dbc.username", user);
		derived.put("spring.r2dbc.password", password);
		derived.put("spring.flyway.user", user);
		derived.put("spring.flyway.password", password);
		derived.keySet().removeIf(environment::containsProperty);
		environment.getPropertySources().addLast(new MapPropertySource("tollgateDatabase", derived));
	}

}
