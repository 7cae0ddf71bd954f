package io.tollgate.admin.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults for the libraries the admin plane uses, lowest precedence: the OpenAPI
 * document describes only the admin API and is served at {@code /api/admin/openapi}
 * (behind admin-token authentication), and is off with the admin plane.
 */
public class AdminEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean enabled = environment.getProperty("tollgate.admin.enabled", Boolean.class, true);
		environment.getPropertySources()
			.addLast(new MapPropertySource("tollgateAdminDefaults",
					Map.of("springdoc.api-docs.path", "/api/admin/openapi", "springdoc.paths-to-match", "/api/admin/**",
							"springdoc.api-docs.enabled", Boolean.toString(enabled),
							"springdoc.writer-with-order-by-keys", "true")));
	}

}
