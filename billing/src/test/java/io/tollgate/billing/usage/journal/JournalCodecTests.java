package io.tollgate.billing.usage.journal;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.tollgate.billing.directory.BillingMode;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.ChargedTo;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.billing.usage.UsageEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The journal's streamed line is byte for byte the line data binding writes for the same
 * event, and reads back as the event. The random events are built over the records'
 * components by reflection, so a component added to {@link UsageEvent} (or to a record it
 * holds) is filled in here and fails the comparison until {@link JournalCodec} writes it.
 */
class JournalCodecTests {

	/** The writer the journal used before it streamed: the reference for every line. */
	private static final ObjectWriter DATABIND = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
		.build()
		.writerFor(UsageEvent.class);

	/**
	 * The types of the components the codec writes, the records it descends into aside.
	 */
	private static final List<Class<?>> VALUE_TYPES = List.of(String.class, long.class, Long.class, int.class,
			boolean.class, Boolean.class, BigDecimal.class, Instant.class, Outcome.class, BillingMode.class,
			ChargedTo.class);

	/** The records the codec writes as nested objects. */
	private static final List<Class<?>> RECORD_TYPES = List.of(UsageEvent.class, TokenCounts.class, Cost.class,
			UsageEvent.Intent.class);

	private static final String[] PIECES = { "", "a", "req_", "claude-sonnet-4-5", " ", "\"", "\\", "/", "\\\"",
			"\u0000", "\u0001", "\u001f", "\u007f", "\u0080", "\u00ff", "\b\f\n\r\t", "é", "ß", "\u2028", "\u2029",
			"\u20ac", "日本語", "\ufeff", "\uffff", "\ud800", "\udfff", "\udbff", "\ud83d\ude00", "\ude00\ud83d",
			"</script>", "email=2,secret=1", "{\"a\":1}" };

	private static final long[] LONGS = { 0, 1, -1, 42, 255, 256, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE,
			Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 9_007_199_254_740_993L, Long.MAX_VALUE, Long.MIN_VALUE,
			Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1_000_000_000_000L };

	private static final String[] DECIMALS = { "0", "0.0", "0.0000000000", "-0.00", "1", "1.5", "1.50", "1.500000",
			"0.0000123456", "0.0000185184", "-12.3400", "100", "1E+3", "1.50E+3", "1E-12", "1E-7", "0.000001",
			"123456789012345678901234567890.0123456789", "-99999999999999999999.9999999999", "9.99E+400", "1E-400" };

	private static final String[] INSTANTS = { "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
			"2026-01-01T00:00:00Z", "2026-11-18T10:15:30.123456Z", "2026-11-18T10:15:30.100Z",
			"2026-11-18T10:15:30.000000001Z", "2026-11-18T10:15:30.120Z", "9999-12-31T23:59:59.999999999Z",
			"0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z" };

	@Test
	void writesWhatDataBindingWritesForAnEventWithEveryNullableComponentNull() {
		UsageEvent bare = new UsageEvent(null, 0, 0, 0, null, null, null, false, null, false, null, 0, null, 0, null,
				null, null, null, null, null, null, null, null, null, null);
		assertSameAsDataBinding(bare);
		assertReadsBack(bare);
	}

	@Test
	void writesWhatDataBindingWritesForAnEventWithEveryComponentSet() {
		UsageEvent full = new UsageEvent("req_full", 1, 2, 3, 4L, "claude-x", "claude-sonnet-4-5", true,
				new TokenCounts(10, 20, 3, 4, 5), true, Outcome.CLIENT_CANCELLED, 200,
				Instant.parse("2026-11-18T10:15:30.123456Z"), 1200, 300L, BillingMode.SUBSCRIPTION,
				new BigDecimal("1.5"), new Cost(new BigDecimal("0.0000123456"), new BigDecimal("0.0000185184"), 7L),
				ChargedTo.SUBSCRIPTION, 9L, "req_011CUpstream", 512L, true, "email=2,secret=1", new UsageEvent.Intent(
						"coding", "claude-sonnet-4-5", "routed", 120, 30, new BigDecimal("0.0012345678"), 4321));
		assertSameAsDataBinding(full);
		assertReadsBack(full);
		assertThat(JournalCodec.write(full)).startsWith("{\"requestId\":\"req_full\",\"tenantId\":1,")
			.contains(",\"startedAt\":\"2026-11-18T10:15:30.123456Z\",")
			.contains(",\"multiplier\":1.5,")
			.endsWith(",\"contextTokensSaved\":4321}}");
	}

	@Test
	void writesWhatDataBindingWritesForNestedRecordsWithNullComponents() {
		UsageEvent event = base().cost(new Cost(null, null, null))
			.intent(new UsageEvent.Intent(null, null, null, 0, 0, null, 0))
			.build();
		assertSameAsDataBinding(event);
		assertReadsBack(event);
		UsageEvent noPrice = base().cost(new Cost(BigDecimal.ONE, new BigDecimal("1.50"), null)).build();
		assertSameAsDataBinding(noPrice);
		assertReadsBack(noPrice);
		assertSameAsDataBinding(base().cost(Cost.NONE).tokens(TokenCounts.ZERO).build());
	}

	@Test
	void writesWhatDataBindingWritesForOddText() {
		for (String piece : PIECES) {
			String text = "x" + piece + "y";
			UsageEvent event = base().requestId(text)
				.requestedModel(piece)
				.upstreamModel(text + text)
				.upstreamRequestId(piece)
				.redactions(text)
				.intent(new UsageEvent.Intent(piece, text, piece, 1, 2, BigDecimal.TEN, 3))
				.build();
			assertSameAsDataBinding(event);
			assertReadsBack(event);
			assertThat(JournalCodec.write(event)).matches("\\p{ASCII}*");
		}
		StringBuilder everyChar = new StringBuilder();
		for (char c = 0; c < 0x800; c++) {
			everyChar.append(c);
		}
		everyChar.append("\ud800\udc00\udbff\udfff\ud800\udbff\udc00");
		UsageEvent event = base().requestId(everyChar.toString()).build();
		assertSameAsDataBinding(event);
		assertReadsBack(event);
		assertSameAsDataBinding(base().requestId("x".repeat(70_000) + "é".repeat(10_000)).build());
	}

	@Test
	void writesWhatDataBindingWritesForNumbersAtTheirLimits() {
		for (long value : LONGS) {
			int status = (int) value;
			UsageEvent event = base().ids(value, -value, value ^ 0x5555)
				.accountId(value)
				.tokens(new TokenCounts(value, -value, value, Long.MAX_VALUE, Long.MIN_VALUE))
				.httpStatus(status)
				.latencyMs(value)
				.ttftMs(-value)
				.cost(new Cost(BigDecimal.valueOf(value), BigDecimal.valueOf(value, 10), value))
				.subscriptionId(value)
				.maxTokensClamped(value)
				.intent(new UsageEvent.Intent("t", "m", "kept", value, -value, BigDecimal.valueOf(-value, 3), value))
				.build();
			assertSameAsDataBinding(event);
			assertReadsBack(event);
		}
	}

	@Test
	void writesWhatDataBindingWritesForDecimalsOfEveryScale() {
		for (String text : DECIMALS) {
			BigDecimal value = new BigDecimal(text);
			UsageEvent event = base().multiplier(value)
				.cost(new Cost(value, value.negate(), 1L))
				.intent(new UsageEvent.Intent("t", null, "routed", 1, 1, value, 1))
				.build();
			assertSameAsDataBinding(event);
			assertReadsBack(event);
		}
		for (int scale = -20; scale <= 20; scale++) {
			BigDecimal value = BigDecimal.valueOf(1234500, scale);
			UsageEvent event = base().multiplier(value).build();
			assertSameAsDataBinding(event);
			assertReadsBack(event);
		}
	}

	@Test
	void writesWhatDataBindingWritesForInstants() {
		for (String text : INSTANTS) {
			UsageEvent event = base().startedAt(Instant.parse(text)).build();
			assertSameAsDataBinding(event);
			assertReadsBack(event);
		}
		assertSameAsDataBinding(base().startedAt(Instant.MIN).build());
		assertSameAsDataBinding(base().startedAt(Instant.MAX).build());
		assertSameAsDataBinding(base().startedAt(Instant.EPOCH).build());
	}

	@Test
	void writesWhatDataBindingWritesForEveryConstantAndBoolean() {
		for (Outcome outcome : Outcome.values()) {
			for (BillingMode mode : BillingMode.values()) {
				for (ChargedTo chargedTo : ChargedTo.values()) {
					for (Boolean overdraft : Arrays.asList(null, true, false)) {
						for (boolean flag : new boolean[] { true, false }) {
							UsageEvent event = base().outcome(outcome)
								.billingMode(mode)
								.chargedTo(chargedTo)
								.overdraft(overdraft)
								.stream(flag)
								.estimated(!flag)
								.build();
							assertSameAsDataBinding(event);
							assertReadsBack(event);
						}
					}
				}
			}
		}
	}

	@Test
	void writesWhatDataBindingWritesForRandomEventsOverEveryComponent() throws Exception {
		Random random = new Random(20261118L);
		Events events = new Events(random);
		for (int i = 0; i < 5000; i++) {
			UsageEvent event = events.next(UsageEvent.class);
			assertSameAsDataBinding(event);
			assertReadsBack(event);
		}
		for (Class<?> type : RECORD_TYPES) {
			RecordComponent[] components = type.getRecordComponents();
			assertThat(events.filled(type))
				.as("components of %s filled with a value (a new one must be written by JournalCodec)",
						type.getSimpleName())
				.containsExactlyElementsOf(Arrays.stream(components).map(RecordComponent::getName).toList());
		}
	}

	@Test
	void theRecordsHoldOnlyComponentsTheCodecKnows() {
		int components = 0;
		for (Class<?> type : RECORD_TYPES) {
			for (RecordComponent component : type.getRecordComponents()) {
				Class<?> componentType = component.getType();
				assertThat(VALUE_TYPES.contains(componentType) || RECORD_TYPES.contains(componentType))
					.as("%s.%s is a %s, which JournalCodec does not write", type.getSimpleName(), component.getName(),
							componentType.getName())
					.isTrue();
				components++;
			}
		}
		assertThat(components).as("the components JournalCodec writes: a new one must be added to it")
			.isEqualTo(25 + 5 + 3 + 7);
	}

	@Test
	void writesALineThatIsTheTextAndANewline() {
		UsageEvent event = FileUsageJournalTests.event("req_line");
		byte[] line = JournalCodec.writeLine(event);
		assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo(JournalCodec.write(event) + "\n");
	}

	private static void assertSameAsDataBinding(UsageEvent event) {
		String expected = DATABIND.writeValueAsString(event);
		String text = JournalCodec.write(event);
		if (!expected.equals(text)) {
			assertThat(text).as("streamed text of %s", event).isEqualTo(expected);
		}
		ByteArrayBuilder bytes = new ByteArrayBuilder(512);
		DATABIND.writeValue(bytes, event);
		bytes.append('\n');
		byte[] expectedLine = bytes.toByteArray();
		byte[] line = JournalCodec.writeLine(event);
		if (!Arrays.equals(expectedLine, line)) {
			assertThat(new String(line, StandardCharsets.ISO_8859_1)).as("streamed line of %s", event)
				.isEqualTo(new String(expectedLine, StandardCharsets.ISO_8859_1));
			fail("lines differ");
		}
	}

	private static void assertReadsBack(UsageEvent event) {
		UsageEvent read = JournalCodec.read(JournalCodec.write(event));
		if (!read.equals(event)) {
			assertThat(read).isEqualTo(event);
		}
	}

	private static Builder base() {
		return new Builder();
	}

	/** Random values for the records' components, by type. */
	private static final class Events {

		private final Random random;

		private final List<List<String>> filled = new ArrayList<>();

		Events(Random random) {
			this.random = random;
			for (int i = 0; i < RECORD_TYPES.size(); i++) {
				this.filled.add(new ArrayList<>());
			}
		}

		/**
		 * The components of a record that got a value other than {@code null} at least
		 * once.
		 */
		List<String> filled(Class<?> type) {
			List<String> names = new ArrayList<>(this.filled.get(RECORD_TYPES.indexOf(type)));
			List<String> order = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
			names.sort((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
			return names;
		}

		<T> T next(Class<T> type) throws Exception {
			RecordComponent[] components = type.getRecordComponents();
			Class<?>[] types = new Class<?>[components.length];
			Object[] values = new Object[components.length];
			for (int i = 0; i < components.length; i++) {
				types[i] = components[i].getType();
				values[i] = value(types[i]);
				if (values[i] != null) {
					List<String> names = this.filled.get(RECORD_TYPES.indexOf(type));
					if (!names.contains(components[i].getName())) {
						names.add(components[i].getName());
					}
				}
			}
			Constructor<T> canonical = type.getDeclaredConstructor(types);
			return canonical.newInstance(values);
		}

		private Object value(Class<?> type) throws Exception {
			if (type == long.class) {
				return someLong();
			}
			if (type == int.class) {
				return (int) someLong();
			}
			if (type == boolean.class) {
				return this.random.nextBoolean();
			}
			if (!type.isPrimitive() && this.random.nextInt(4) == 0) {
				return null;
			}
			if (type == String.class) {
				return someString();
			}
			if (type == Long.class) {
				return someLong();
			}
			if (type == Boolean.class) {
				return this.random.nextBoolean();
			}
			if (type == BigDecimal.class) {
				return someDecimal();
			}
			if (type == Instant.class) {
				return someInstant();
			}
			if (type.isEnum()) {
				Object[] constants = type.getEnumConstants();
				return constants[this.random.nextInt(constants.length)];
			}
			if (RECORD_TYPES.contains(type)) {
				return next(type);
			}
			throw new AssertionError("A component of type " + type.getName()
					+ " which JournalCodec (and this test) does not know: write it there and teach it here");
		}

		private long someLong() {
			return switch (this.random.nextInt(4)) {
				case 0 -> LONGS[this.random.nextInt(LONGS.length)];
				case 1 -> this.random.nextInt(10_000);
				case 2 -> this.random.nextInt();
				default -> this.random.nextLong();
			};
		}

		private String someString() {
			StringBuilder text = new StringBuilder();
			int parts = this.random.nextInt(6);
			for (int i = 0; i < parts; i++) {
				switch (this.random.nextInt(4)) {
					case 0 -> text.append(PIECES[this.random.nextInt(PIECES.length)]);
					case 1 -> text.append((char) this.random.nextInt(0x80));
					case 2 -> text.append((char) this.random.nextInt(0x10000));
					default -> text.append("claude-").append(this.random.nextInt(1000));
				}
			}
			return text.toString();
		}

		private BigDecimal someDecimal() {
			return switch (this.random.nextInt(3)) {
				case 0 -> new BigDecimal(DECIMALS[this.random.nextInt(DECIMALS.length)]);
				case 1 -> BigDecimal.valueOf(this.random.nextLong(), this.random.nextInt(-5, 25));
				default -> new BigDecimal(new BigInteger(this.random.nextInt(1, 160), this.random),
						this.random.nextInt(-30, 40));
			};
		}

		private Instant someInstant() {
			long seconds = this.random.nextLong(Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
					Instant.parse("2300-01-01T00:00:00Z").getEpochSecond());
			int nanos = switch (this.random.nextInt(4)) {
				case 0 -> 0;
				case 1 -> this.random.nextInt(1000) * 1_000_000;
				case 2 -> this.random.nextInt(1_000_000) * 1000;
				default -> this.random.nextInt(1_000_000_000);
			};
			return Instant.ofEpochSecond(seconds, nanos);
		}

	}

	/** An ordinary event with one thing or another changed. */
	private static final class Builder {

		private String requestId = "req_1";

		private long tenantId = 1;

		private long keyId = 2;

		private long groupId = 3;

		private Long accountId = 4L;

		private String requestedModel = "claude-x";

		private String upstreamModel = "claude-sonnet-4-5";

		private boolean stream = true;

		private TokenCounts tokens = new TokenCounts(10, 20, 3, 4, 5);

		private boolean estimated;

		private Outcome outcome = Outcome.OK;

		private int httpStatus = 200;

		private Instant startedAt = Instant.parse("2026-11-18T10:15:30.123456Z");

		private long latencyMs = 1200;

		private Long ttftMs = 300L;

		private BillingMode billingMode = BillingMode.BALANCE;

		private BigDecimal multiplier = new BigDecimal("1.5");

		private Cost cost = new Cost(new BigDecimal("0.0000123456"), new BigDecimal("0.0000185184"), 7L);

		private ChargedTo chargedTo;

		private Long subscriptionId;

		private String upstreamRequestId;

		private Long maxTokensClamped;

		private Boolean overdraft;

		private String redactions;

		private UsageEvent.Intent intent;

		Builder requestId(String requestId) {
			this.requestId = requestId;
			return this;
		}

		Builder ids(long tenantId, long keyId, long groupId) {
			this.tenantId = tenantId;
			this.keyId = keyId;
			this.groupId = groupId;
			return this;
		}

		Builder accountId(Long accountId) {
			this.accountId = accountId;
			return this;
		}

		Builder requestedModel(String requestedModel) {
			this.requestedModel = requestedModel;
			return this;
		}

		Builder upstreamModel(String upstreamModel) {
			this.upstreamModel = upstreamModel;
			return this;
		}

		Builder stream(boolean stream) {
			this.stream = stream;
			return this;
		}

		Builder tokens(TokenCounts tokens) {
			this.tokens = tokens;
			return this;
		}

		Builder estimated(boolean estimated) {
			this.estimated = estimated;
			return this;
		}

		Builder outcome(Outcome outcome) {
			this.outcome = outcome;
			return this;
		}

		Builder httpStatus(int httpStatus) {
			this.httpStatus = httpStatus;
			return this;
		}

		Builder startedAt(Instant startedAt) {
			this.startedAt = startedAt;
			return this;
		}

		Builder latencyMs(long latencyMs) {
			this.latencyMs = latencyMs;
			return this;
		}

		Builder ttftMs(Long ttftMs) {
			this.ttftMs = ttftMs;
			return this;
		}

		Builder billingMode(BillingMode billingMode) {
			this.billingMode = billingMode;
			return this;
		}

		Builder multiplier(BigDecimal multiplier) {
			this.multiplier = multiplier;
			return this;
		}

		Builder cost(Cost cost) {
			this.cost = cost;
			return this;
		}

		Builder chargedTo(ChargedTo chargedTo) {
			this.chargedTo = chargedTo;
			return this;
		}

		Builder subscriptionId(Long subscriptionId) {
			this.subscriptionId = subscriptionId;
			return this;
		}

		Builder upstreamRequestId(String upstreamRequestId) {
			this.upstreamRequestId = upstreamRequestId;
			return this;
		}

		Builder maxTokensClamped(Long maxTokensClamped) {
			this.maxTokensClamped = maxTokensClamped;
			return this;
		}

		Builder overdraft(Boolean overdraft) {
			this.overdraft = overdraft;
			return this;
		}

		Builder redactions(String redactions) {
			this.redactions = redactions;
			return this;
		}

		Builder intent(UsageEvent.Intent intent) {
			this.intent = intent;
			return this;
		}

		UsageEvent build() {
			return new UsageEvent(this.requestId, this.tenantId, this.keyId, this.groupId, this.accountId,
					this.requestedModel, this.upstreamModel, this.stream, this.tokens, this.estimated, this.outcome,
					this.httpStatus, this.startedAt, this.latencyMs, this.ttftMs, this.billingMode, this.multiplier,
					this.cost, this.chargedTo, this.subscriptionId, this.upstreamRequestId, this.maxTokensClamped,
					this.overdraft, this.redactions, this.intent);
		}

	}

}
