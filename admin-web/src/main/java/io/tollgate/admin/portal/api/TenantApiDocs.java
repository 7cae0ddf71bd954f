package io.tollgate.admin.portal.api;

import java.util.Locale;

import io.swagger.v3.oas.annotations.Hidden;
import io.tollgate.admin.config.ConsoleEnabled;
import org.springdoc.webflux.api.MultipleOpenApiWebFluxResource;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The tenant API's OpenAPI document, beside the admin API's: JSON at
 * {@code /api/tenant/openapi}, YAML at {@code /api/tenant/openapi.yaml}, for any tenant
 * API token. It lists {@code /api/tenant/**} only; it is off with the admin plane.
 */
@Hidden
@RestController
@ConsoleEnabled
class TenantApiDocs {

	private static final String GROUP = "tenant";

	private static final String PATH = "/api/tenant/openapi";

	private final ObjectProvider<MultipleOpenApiWebFluxResource> documents;

	TenantApiDocs(ObjectProvider<MultipleOpenApiWebFluxResource> documents) {
		this.documents = documents;
	}

	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<byte[]> json(ServerHttpRequest request, Locale locale) throws Exception {
		return documents().openapiJson(request, PATH, GROUP, locale);
	}

	@GetMapping(path = PATH + ".yaml", produces = "application/vnd.oai.openapi")
	Mono<byte[]> yaml(ServerHttpRequest request, Locale locale) throws Exception {
		return documents().openapiYaml(request, PATH + ".yaml", GROUP, locale);
	}

	private MultipleOpenApiWebFluxResource documents() {
		MultipleOpenApiWebFluxResource resource = this.documents.getIfAvailable();
		if (resource == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return resource;
	}

}
