package io.tollgate.routing.convert;

import java.util.ArrayList;
import java.util.List;

import io.tollgate.routing.sse.SseEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A stream fixture or generated case run through a {@link StreamConverter}: the upstream
 * payloads, the context and every event emitted.
 *
 * @param payloads the upstream {@code data:} payloads
 * @param context the conversion context
 * @param events the Anthropic events, {@code onUpstreamEnd()} included
 */
record StreamRun(List<String> payloads, ConversionContext context, List<SseEvent> events) {

	static StreamRun of(String fixture) {
		Golden golden = StreamConverterGoldenTests.GOLDEN;
		List<String> payloads = new ArrayList<>();
		for (JsonNode item : golden.json(fixture + ".upstream.json")) {
			payloads.add(item.isString() ? item.stringValue()
					: Golden.MAPPER.writer()
						.without(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
						.writeValueAsString(item));
		}
		return run(payloads, Golden.convert(golden.request(fixture), OpenAiQuirks.defaults()).context());
	}

	static StreamRun run(List<String> payloads, ConversionContext context) {
		StreamConverter converter = new StreamConverter(context);
		List<SseEvent> events = new ArrayList<>();
		payloads.forEach((payload) -> events.addAll(converter.onData(payload)));
		events.addAll(converter.onUpstreamEnd());
		return new StreamRun(List.copyOf(payloads), context, List.copyOf(events));
	}

	JsonNode eventsAsJson() {
		ArrayNode array = Golden.MAPPER.createArrayNode();
		for (SseEvent event : this.events) {
			array.addObject().put("event", event.event()).set("data", Golden.MAPPER.readTree(event.data()));
		}
		return array;
	}

}
