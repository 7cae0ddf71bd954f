package io.tollgate.routing.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tollgate.routing.sse.SseEvent;
import tools.jackson.databind.JsonNode;

/**
 * The official Anthropic Java SDK reading what the converters emit, through its own JSON
 * mapper: stream events into {@link MessageAccumulator}, non-streaming bodies into
 * {@link Message}, errors into {@link ErrorResponse}. Every model is validated, so a
 * missing required field fails.
 */
final class SdkAccumulation {

	private static final JsonMapper SDK = ObjectMappers.jsonMapper();

	private SdkAccumulation() {
	}

	static Message accumulate(List<SseEvent> events) {
		MessageAccumulator accumulator = MessageAccumulator.create();
		for (SseEvent event : events) {
			accumulator.accumulate(read(event.data(), RawMessageStreamEvent.class).validate());
		}
		return accumulator.message().validate();
	}

	static Message message(JsonNode body) {
		return read(body.toString(), Message.class).validate();
	}

	static ErrorResponse error(SseEvent event) {
		return read(event.data(), ErrorResponse.class).validate();
	}

	private static <T> T read(String json, Class<T> type) {
		try {
			return SDK.readValue(json, type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
