package io.tollgate.admin.config;

import io.swagger.v3.oas.models.info.Info;
import org.springdoc.core.filters.OpenApiMethodFilter;
import org.springdoc.core.models.GroupedOpenApi;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two OpenAPI documents. The default one, at {@code /api/admin/openapi}, describes
 * the admin API only: a method filter (which applies to the default document and to no
 * group) keeps the handlers of the admin API's package. The {@code tenant} group
 * describes {@code /api/tenant/**} only, served at {@code /api/tenant/openapi} by the
 * tenant API. Neither uses the global {@code springdoc.paths-to-match}, which would
 * override the group's paths.
 */
@Configuration(proxyBeanMethods = false)
@ConsoleEnabled
class ApiDocsConfiguration {

	/** The tenant API's group. */
	static final String TENANT_GROUP = "tenant";

	private static final String ADMIN_API_PACKAGE = "io.tollgate.admin.api";

	@Bean
	OpenApiMethodFilter adminApiOnly() {
		return (method) -> method.getDeclaringClass().getPackageName().equals(ADMIN_API_PACKAGE);
	}

	@Bean
	GroupedOpenApi tenantApiDocumentGroup() {
		return GroupedOpenApi.builder()
			.group(TENANT_GROUP)
			.displayName("Tollgate tenant API")
			.pathsToMatch("/api/tenant/**")
			.addOpenApiCustomizer((openApi) -> openApi.info(new Info().title("Tollgate tenant API")
				.description("A tenant's balance, usage, ledger, keys and notifications, "
						+ "with a tenant API token (Authorization: Bearer tgt-...).")))
			.build();
	}

}
