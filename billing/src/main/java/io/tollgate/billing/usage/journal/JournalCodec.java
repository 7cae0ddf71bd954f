package io.tollgate.billing.usage.journal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One usage event as one line of JSON. Every character outside ASCII is escaped, so that
 * a value no database or file encoding can hold (a lone surrogate, a NUL) survives the
 * journal as it was and can be stored, as text, in the quarantine.
 * <p>
 * A line is written field by field on a streaming generator rather than by data binding:
 * every request journals its event on the event loop, and the data-binding writer was a
 * measurable share of each request's CPU. The line is byte for byte what the mapper's
 * data binding writes for a {@link UsageEvent} with its defaults: the record components
 * in declaration order, nested records as objects, {@code null} values written as
 * {@code null}, enums by name, {@link BigDecimal} as its {@link BigDecimal#toString()},
 * {@link Instant} as its ISO-8601 text. A component added to {@link UsageEvent} (or to a
 * record it holds) must be added here too, at its place; the codec's tests compare the
 * two writers over every component and fail until it is. Reading stays data binding, so
 * lines written before a component existed are still read.
 */
public final class JournalCodec {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
		.build();

	private static final SerializableString REQUEST_ID = name("requestId");

	private static final SerializableString TENANT_ID = name("tenantId");

	private static final SerializableString KEY_ID = name("keyId");

	private static final SerializableString GROUP_ID = name("groupId");

	private static final SerializableString ACCOUNT_ID = name("accountId");

	private static final SerializableString REQUESTED_MODEL = name("requestedModel");

	private static final SerializableString UPSTREAM_MODEL = name("upstreamModel");

	private static final SerializableString STREAM = name("stream");

	private static final SerializableString TOKENS = name("tokens");

	private static final SerializableString ESTIMATED = name("estimated");

	private static final SerializableString OUTCOME = name("outcome");

	private static final SerializableString HTTP_STATUS = name("httpStatus");

	private static final SerializableString STARTED_AT = name("startedAt");

	private static final SerializableString LATENCY_MS = name("latencyMs");

	private static final SerializableString TTFT_MS = name("ttftMs");

	private static final SerializableString BILLING_MODE = name("billingMode");

	private static final SerializableString MULTIPLIER = name("multiplier");

	private static final SerializableString COST = name("cost");

	private static final SerializableString CHARGED_TO = name("chargedTo");

	private static final SerializableString SUBSCRIPTION_ID = name("subscriptionId");

	private static final SerializableString UPSTREAM_REQUEST_ID = name("upstreamRequestId");

	private static final SerializableString MAX_TOKENS_CLAMPED = name("maxTokensClamped");

	private static final SerializableString OVERDRAFT = name("overdraft");

	private static final SerializableString REDACTIONS = name("redactions");

	private static final SerializableString INTENT = name("intent");

	private static final SerializableString INPUT = name("input");

	private static final SerializableString OUTPUT = name("output");

	private static final SerializableString CACHE_WRITE_5M = name("cacheWrite5m");

	private static final SerializableString CACHE_WRITE_1H = name("cacheWrite1h");

	private static final SerializableString CACHE_READ = name("cacheRead");

	private static final SerializableString LIST_COST = name("listCost");

	private static final SerializableString CHARGED = name("charged");

	private static final SerializableString PRICE_ID = name("priceId");

	private static final SerializableString TAG = name("tag");

	private static final SerializableString ROUTED_MODEL = name("routedModel");

	private static final SerializableString INTENT_OUTCOME = name("outcome");

	private static final SerializableString PLANNING_INPUT_TOKENS = name("planningInputTokens");

	private static final SerializableString PLANNING_OUTPUT_TOKENS = name("planningOutputTokens");

	private static final SerializableString PLANNING_COST = name("planningCost");

	private static final SerializableString CONTEXT_TOKENS_SAVED = name("contextTokensSaved");

	private static final SerializableString[] OUTCOMES = names(Outcome.values());

	private static final SerializableString[] BILLING_MODES = names(BillingMode.values());

	private static final SerializableString[] CHARGED_TOS = names(ChargedTo.values());

	private JournalCodec() {
	}

	/**
	 * The event as journal text.
	 * @param event the event
	 * @return one line of ASCII JSON
	 */
	public static String write(UsageEvent event) {
		ByteArrayBuilder text = new ByteArrayBuilder(512);
		encode(event, text, false);
		return new String(text.toByteArray(), StandardCharsets.ISO_8859_1);
	}

	/**
	 * The event as one journal line, newline included, in bytes (ASCII).
	 * @param event the event
	 * @return the line's bytes
	 */
	static byte[] writeLine(UsageEvent event) {
		ByteArrayBuilder line = new ByteArrayBuilder(512);
		encode(event, line, true);
		return line.toByteArray();
	}

	static UsageEvent read(String line) {
		return JSON.readValue(line, UsageEvent.class);
	}

	private static void encode(UsageEvent event, ByteArrayBuilder out, boolean newline) {
		try (JsonGenerator json = JSON.createGenerator(out)) {
			json.writeStartObject();
			json.writeName(REQUEST_ID);
			string(json, event.requestId());
			json.writeName(TENANT_ID);
			json.writeNumber(event.tenantId());
			json.writeName(KEY_ID);
			json.writeNumber(event.keyId());
			json.writeName(GROUP_ID);
			json.writeNumber(event.groupId());
			json.writeName(ACCOUNT_ID);
			number(json, event.accountId());
			json.writeName(REQUESTED_MODEL);
			string(json, event.requestedModel());
			json.writeName(UPSTREAM_MODEL);
			string(json, event.upstreamModel());
			json.writeName(STREAM);
			json.writeBoolean(event.stream());
			json.writeName(TOKENS);
			tokens(json, event.tokens());
			json.writeName(ESTIMATED);
			json.writeBoolean(event.estimated());
			json.writeName(OUTCOME);
			constant(json, OUTCOMES, event.outcome());
			json.writeName(HTTP_STATUS);
			json.writeNumber(event.httpStatus());
			json.writeName(STARTED_AT);
			instant(json, event.startedAt());
			json.writeName(LATENCY_MS);
			json.writeNumber(event.latencyMs());
			json.writeName(TTFT_MS);
			number(json, event.ttftMs());
			json.writeName(BILLING_MODE);
			constant(json, BILLING_MODES, event.billingMode());
			json.writeName(MULTIPLIER);
			decimal(json, event.multiplier());
			json.writeName(COST);
			cost(json, event.cost());
			json.writeName(CHARGED_TO);
			constant(json, CHARGED_TOS, event.chargedTo());
			json.writeName(SUBSCRIPTION_ID);
			number(json, event.subscriptionId());
			json.writeName(UPSTREAM_REQUEST_ID);
			string(json, event.upstreamRequestId());
			json.writeName(MAX_TOKENS_CLAMPED);
			number(json, event.maxTokensClamped());
			json.writeName(OVERDRAFT);
			bool(json, event.overdraft());
			json.writeName(REDACTIONS);
			string(json, event.redactions());
			json.writeName(INTENT);
			intent(json, event.intent());
			json.writeEndObject();
			if (newline) {
				json.writeRaw('\n');
			}
		}
	}

	private static void tokens(JsonGenerator json, TokenCounts tokens) {
		if (tokens == null) {
			json.writeNull();
			return;
		}
		json.writeStartObject();
		json.writeName(INPUT);
		json.writeNumber(tokens.input());
		json.writeName(OUTPUT);
		json.writeNumber(tokens.output());
		json.writeName(CACHE_WRITE_5M);
		json.writeNumber(tokens.cacheWrite5m());
		json.writeName(CACHE_WRITE_1H);
		json.writeNumber(tokens.cacheWrite1h());
		json.writeName(CACHE_READ);
		json.writeNumber(tokens.cacheRead());
		json.writeEndObject();
	}

	private static void cost(JsonGenerator json, Cost cost) {
		if (cost == null) {
			json.writeNull();
			return;
		}
		json.writeStartObject();
		json.writeName(LIST_COST);
		decimal(json, cost.listCost());
		json.writeName(CHARGED);
		decimal(json, cost.charged());
		json.writeName(PRICE_ID);
		number(json, cost.priceId());
		json.writeEndObject();
	}

	private static void intent(JsonGenerator json, UsageEvent.Intent intent) {
		if (intent == null) {
			json.writeNull();
			return;
		}
		json.writeStartObject();
		json.writeName(TAG);
		string(json, intent.tag());
		json.writeName(ROUTED_MODEL);
		string(json, intent.routedModel());
		json.writeName(INTENT_OUTCOME);
		string(json, intent.outcome());
		json.writeName(PLANNING_INPUT_TOKENS);
		json.writeNumber(intent.planningInputTokens());
		json.writeName(PLANNING_OUTPUT_TOKENS);
		json.writeNumber(intent.planningOutputTokens());
		json.writeName(PLANNING_COST);
		decimal(json, intent.planningCost());
		json.writeName(CONTEXT_TOKENS_SAVED);
		json.writeNumber(intent.contextTokensSaved());
		json.writeEndObject();
	}

	private static void string(JsonGenerator json, String value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeString(value);
		}
	}

	private static void number(JsonGenerator json, Long value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeNumber(value.longValue());
		}
	}

	private static void bool(JsonGenerator json, Boolean value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeBoolean(value);
		}
	}

	/** As data binding writes it by default: {@link BigDecimal#toString()}, unquoted. */
	private static void decimal(JsonGenerator json, BigDecimal value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeNumber(value);
		}
	}

	/**
	 * As data binding writes it by default: ISO-8601 in UTC, as
	 * {@link Instant#toString()}.
	 */
	private static void instant(JsonGenerator json, Instant value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeString(value.toString());
		}
	}

	private static void constant(JsonGenerator json, SerializableString[] names, Enum<?> value) {
		if (value == null) {
			json.writeNull();
		}
		else {
			json.writeString(names[value.ordinal()]);
		}
	}

	private static SerializableString name(String name) {
		return new SerializedString(name);
	}

	private static SerializableString[] names(Enum<?>[] constants) {
		SerializableString[] names = new SerializableString[constants.length];
		for (Enum<?> constant : constants) {
			names[constant.ordinal()] = new SerializedString(constant.name());
		}
		return names;
	}

}
