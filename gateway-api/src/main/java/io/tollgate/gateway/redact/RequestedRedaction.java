package io.tollgate.gateway.redact;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.tollgate.gateway.error.GatewayException;
import io.tollgate.routing.redact.PiiType;
import io.tollgate.routing.redact.Redactor;
import tools.jackson.databind.JsonNode;

/**
 * What a request's {@code gateway.redact} asks for: {@code true} (every built-in kind),
 * {@code false}, a list of kinds ({@code ["email","credit_card"]}), or
 * {@code {"entities":[…],"custom":["Project Falcon","/ACME-[0-9]{4}/"]}}.
 *
 * @param entities the kinds asked for
 * @param custom custom terms and patterns asked for
 */
record RequestedRedaction(Set<PiiType> entities, List<String> custom) {

	static final RequestedRedaction NOTHING = new RequestedRedaction(Set.of(), List.of());

	static RequestedRedaction of(JsonNode gateway) {
		JsonNode redact = (gateway != null) ? gateway.get("redact") : null;
		if (redact == null || redact.isNull() || (redact.isBoolean() && !redact.booleanValue())) {
			return NOTHING;
		}
		if (redact.isBoolean()) {
			return new RequestedRedaction(PiiType.builtIn(), List.of());
		}
		if (redact.isArray()) {
			return new RequestedRedaction(entities(redact, "gateway.redact"), List.of());
		}
		if (redact.isObject()) {
			for (String name : redact.propertyNames()) {
				if (!name.equals("entities") && !name.equals("custom")) {
					throw invalid("gateway.redact." + name + ": Extra inputs are not permitted");
				}
			}
			JsonNode entities = redact.get("entities");
			Set<PiiType> types = (entities == null || entities.isNull()) ? PiiType.builtIn()
					: entities(entities, "gateway.redact.entities");
			return new RequestedRedaction(types, custom(redact.get("custom")));
		}
		throw invalid("gateway.redact: Input should be a boolean, a list of entity names or an object");
	}

	private static Set<PiiType> entities(JsonNode list, String field) {
		if (!list.isArray()) {
			throw invalid(field + ": Input should be a valid list");
		}
		Set<PiiType> types = EnumSet.noneOf(PiiType.class);
		for (JsonNode element : list) {
			if (!element.isString()) {
				throw invalid(field + ": Input should be a list of strings");
			}
			PiiType type = PiiType.fromWireName(element.stringValue())
				.filter((found) -> found != PiiType.CUSTOM)
				.orElseThrow(() -> invalid(
						field + ": unknown entity '" + printable(element.stringValue()) + "'; known: " + known()));
			types.add(type);
		}
		return types;
	}

	private static List<String> custom(JsonNode list) {
		if (list == null || list.isNull()) {
			return List.of();
		}
		if (!list.isArray()) {
			throw invalid("gateway.redact.custom: Input should be a valid list");
		}
		if (list.size() > Redactor.MAX_CUSTOM) {
			throw invalid("gateway.redact.custom: at most " + Redactor.MAX_CUSTOM + " terms or patterns");
		}
		List<String> custom = new ArrayList<>(list.size());
		for (JsonNode element : list) {
			if (!element.isString()) {
				throw invalid("gateway.redact.custom: Input should be a list of strings");
			}
			custom.add(element.stringValue());
		}
		return custom;
	}

	private static String known() {
		StringBuilder names = new StringBuilder();
		for (PiiType type : PiiType.builtIn()) {
			names.append(names.isEmpty() ? "" : ", ").append(type.wireName());
		}
		return names.toString();
	}

	private static String printable(String value) {
		String cut = (value.length() > 40) ? value.substring(0, 40) + "…" : value;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}

	private static GatewayException invalid(String message) {
		return GatewayException.invalidRequest(message);
	}

}
