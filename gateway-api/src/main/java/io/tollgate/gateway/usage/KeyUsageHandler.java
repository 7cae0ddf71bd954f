package io.tollgate.gateway.usage;

import java.math.BigDecimal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.billing.tenantview.KeyStanding;
import io.tollgate.billing.tenantview.KeyStandings;
import io.tollgate.billing.tenantview.TenantOverview;
import io.tollgate.gateway.edge.RequestIds;
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
 * {@code GET /v1/usage}: read-only, for the key presented (as on {@code /v1/messages}):
 * its tenant's balance and subscription windows, and the key's own spend and quota, never
 * another key's. Served from the directory and the live spend counters, without a
 * database query, so status lines may poll it.
 */
@Component
public class KeyUsageHandler {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KeyAuthenticator authenticator;

	private final KeyStandings standings;

	private final Counter lookups;

	public KeyUsageHandler(KeyAuthenticator authenticator, KeyStandings standings, MeterRegistry meters) {
		this.authenticator = authenticator;
		this.standings = standings;
		this.lookups = Counter.builder("tollgate.key.usage.lookups")
			.description("GET /v1/usage answers")
			.register(meters);
	}

	/** {@code GET /v1/usage}. */
	public Mono<ServerResponse> usage(ServerRequest request) {
		GatewayRequest gateway = this.authenticator.authenticate(request.headers().asHttpHeaders(),
				RequestIds.of(request.exchange()));
		return this.standings.of(gateway.grant()).flatMap((standing) -> {
			this.lookups.increment();
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(JSON.writeValueAsBytes(body(standing)));
		});
	}

	static ObjectNode body(KeyStanding standing) {
		ObjectNode body = JSON.createObjectNode();
		body.put("type", "usage");
		body.put("tenant", standing.tenantName());
		body.put("balance", money(standing.balance()));
		ObjectNode key = body.putObject("key");
		key.put("name", standing.keyName());
		key.put("spent", money(standing.keySpent()));
		key.put("quota", money(standing.keyQuota()));
		key.put("remaining", money(standing.keyRemaining()));
		ArrayNode windows = body.putArray("subscriptions");
		for (TenantOverview.Window window : standing.windows()) {
			ObjectNode node = windows.addObject();
			node.put("plan", window.planName());
			node.put("group", window.groupName());
			node.put("window", window.window());
			node.put("limit", money(window.limit()));
			node.put("spent", money(window.spent()));
			node.put("remaining", money(window.left()));
			node.put("resets_at", window.resetsAt().toString());
		}
		return body;
	}

	private static String money(BigDecimal value) {
		return (value != null) ? value.stripTrailingZeros().toPlainString() : null;
	}

}
