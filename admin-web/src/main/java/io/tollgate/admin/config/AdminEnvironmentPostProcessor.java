package io.tollgate.admin.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults for the libraries the admin plane uses, lowest precedence: the OpenAPI
 * document is served at {@code /api/admin/openapi} (behind admin-token authentication)
 * and is off with the admin plane. Which routes each document describes is decided by
 * {@link ApiDocsConfiguration}, not by {@code springdoc.paths-to-match}: that global
 * property takes precedence over every group's own paths, so with it the tenant API's
 * group described the admin API.
 */
public class AdminEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean enabled = environment.getProperty("tollgate.admin.enabled", Boolean.class, true);
		environment.getPropertySources()
			.addLast(new MapPropertySource("tollgateAdminDefaults",
					Map.of("springdoc.api-docs.path", "/api/admin/openapi", "springdoc.api-docs.enabled",
							Boolean.toString(enabled), "springdoc.writer-with-order-by-keys", "true")));
	}

}
