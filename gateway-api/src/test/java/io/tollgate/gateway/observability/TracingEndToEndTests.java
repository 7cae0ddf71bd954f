package io.tollgate.gateway.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With tracing on: a span per request continuing the client's W3C {@code traceparent},
 * children for admission, each upstream attempt and accounting, the trace id in the
 * access log, and the attempt's context sent upstream when configured.
 */
@SpringBootTest(classes = { TollgateApplication.class, TracingEndToEndTests.SpansConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.export.enabled=true", "management.tracing.sampling.probability=1.0",
				"management.tracing.export.otlp.enabled=false",
				"management.opentelemetry.tracing.export.schedule-delay=50ms",
				"tollgate.observability.tracing.propagate-upstream=true" })
class TracingEndToEndTests {

	static final FakeUpstream fake = FakeUpstream.start();

	static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@LocalServerPort
	int port;

	@Autowired
	KeptSpans spans;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		try {
			Path dataDir = Files.createTempDirectory("tollgate-tracing");
			Path bootstrap = dataDir.resolve("bootstrap.yml");
			Files.writeString(bootstrap, ObservabilityEndToEndTests.bootstrap(fake.baseUrl()));
			registry.add("tollgate.data-dir", dataDir::toString);
			registry.add("tollgate.bootstrap-file", bootstrap::toString);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stopFake() {
		fake.reset();
	}

	@Test
	void tracesARequestWithChildSpansAndPropagatesTheContextUpstream() {
		fake.script(ObservabilityEndToEndTests.CREDENTIAL_A).overloaded();
		ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
		accessLog.start();
		Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
		logger.addAppender(accessLog);
		try {
			WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + this.port)
				.build()
				.post()
				.uri("/v1/messages")
				.header("x-api-key", ObservabilityEndToEndTests.POOL_KEY)
				.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(
						"{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
				.exchange()
				.expectStatus()
				.isOk();
			List<SpanData> trace = await().atMost(Duration.ofSeconds(15))
				.until(() -> this.spans.of(TRACE_ID),
						(spans) -> spans.stream().anyMatch((span) -> span.getName().equals("tollgate.request")));
			SpanData request = trace.stream()
				.filter((span) -> span.getName().equals("tollgate.request"))
				.findFirst()
				.orElseThrow();
			List<SpanData> children = trace.stream()
				.filter((span) -> span.getParentSpanId().equals(request.getSpanId()))
				.toList();
			assertThat(children).extracting(SpanData::getName)
				.containsExactlyInAnyOrder("tollgate.admission", "tollgate.upstream.attempt",
						"tollgate.upstream.attempt", "tollgate.accounting");
			assertThat(fake.requests()).hasSize(2)
				.allSatisfy((upstream) -> assertThat(upstream.header("traceparent")).startsWith("00-" + TRACE_ID));
			List<String> attemptIds = children.stream()
				.filter((span) -> span.getName().equals("tollgate.upstream.attempt"))
				.map(SpanData::getSpanId)
				.toList();
			assertThat(fake.requests().stream().map((upstream) -> upstream.header("traceparent").substring(36, 52)))
				.containsExactlyInAnyOrderElementsOf(attemptIds);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(accessLog.list).extracting(ILoggingEvent::getFormattedMessage)
					.anySatisfy((line) -> assertThat(line).contains("trace_id=" + TRACE_ID, "attempts=2")));
		}
		finally {
			logger.detachAppender(accessLog);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SpansConfiguration {

		@Bean
		KeptSpans keptSpans() {
			return new KeptSpans();
		}

	}

	/** Keeps every exported span. */
	static class KeptSpans implements SpanExporter {

		private final List<SpanData> exported = new CopyOnWriteArrayList<>();

		List<SpanData> of(String traceId) {
			return this.exported.stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			this.exported.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
