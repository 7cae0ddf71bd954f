package io.tollgate.gateway.models;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.tollgate.billing.directory.Directory;
import io.tollgate.gateway.edge.RequestIds;
import io.tollgate.gateway.error.GatewayException;
import io.tollgate.gateway.messages.GatewayRequest;
import io.tollgate.gateway.messages.KeyAuthenticator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in Anthropic's shape: the models
 * the key's group can serve, paged with {@code limit}, {@code after_id} and
 * {@code before_id}.
 */
@Component
public class ModelsHandler {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KeyAuthenticator authenticator;

	private final Directory directory;

	public ModelsHandler(KeyAuthenticator authenticator, Directory directory) {
		this.authenticator = authenticator;
		this.directory = directory;
	}

	/**
	 * {@code GET /v1/models}: one page of the models the key can ask for.
	 * @param request the request
	 * @return the page
	 */
	public Mono<ServerResponse> list(ServerRequest request) {
		TreeMap<String, Instant> models = models(request);
		int limit = limit(request.queryParam("limit").orElse(null));
		ModelCatalog.Page page = ModelCatalog.page(new ArrayList<>(models.keySet()), limit,
				request.queryParam("after_id").orElse(null), request.queryParam("before_id").orElse(null));
		ObjectNode body = JSON.createObjectNode();
		ArrayNode data = body.putArray("data");
		page.ids().forEach((id) -> data.add(model(id, models.get(id))));
		body.put("has_more", page.hasMore());
		List<String> ids = page.ids();
		if (ids.isEmpty()) {
			body.putNull("first_id");
			body.putNull("last_id");
		}
		else {
			body.put("first_id", ids.get(0));
			body.put("last_id", ids.get(ids.size() - 1));
		}
		return json(body);
	}

	/**
	 * {@code GET /v1/models/{id}}: one model, or 404 when the key cannot ask for it.
	 * @param request the request
	 * @return the model
	 */
	public Mono<ServerResponse> one(ServerRequest request) {
		TreeMap<String, Instant> models = models(request);
		String id = request.pathVariable("id");
		Instant created = models.get(id);
		if (created == null) {
			throw GatewayException.notFound("model: " + id);
		}
		return json(model(id, created));
	}

	private TreeMap<String, Instant> models(ServerRequest request) {
		GatewayRequest gateway = this.authenticator.authenticate(request.headers().asHttpHeaders(),
				RequestIds.of(request.exchange()));
		return ModelCatalog.of(gateway.grant(), gateway.group(), this.directory.prices(), Instant.now());
	}

	private static int limit(String value) {
		if (value == null) {
			return 20;
		}
		try {
			int limit = Integer.parseInt(value.trim());
			if (limit >= 1 && limit <= 1000) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw GatewayException.invalidRequest("limit: Input should be an integer between 1 and 1000");
	}

	private static ObjectNode model(String id, Instant created) {
		ObjectNode model = JSON.createObjectNode();
		model.put("type", "model");
		model.put("id", id);
		model.put("display_name", id);
		model.put("created_at", created.truncatedTo(ChronoUnit.SECONDS).toString());
		return model;
	}

	private static Mono<ServerResponse> json(ObjectNode body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body));
	}

}
