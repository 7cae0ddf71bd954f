package io.tollgate.billing.alerts.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.tollgate.billing.alerts.AlertProperties;
import io.tollgate.billing.alerts.WebhookSignature;
import io.tollgate.billing.crypto.CredentialCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.dao.DataAccessException;

/**
 * The delivery worker: every poll it takes the deliveries that are due, posts each one
 * signed, and records the outcome; a failure is retried with exponential backoff until
 * the attempts are used up. It runs on a thread of its own, never on a request's.
 * Redirects are never followed. A tenant's endpoint is posted to only when its URL passes
 * {@link WebhookTargets} and every address its host resolves to at connection time is
 * allowed; otherwise the delivery is marked failed with the reason, without an attempt.
 * Counts {@code tollgate.alerts.deliveries} by {@code outcome} ({@code delivered},
 * {@code retry}, {@code failed}, {@code refused}) and {@code scope} ({@code operator},
 * {@code tenant}).
 */
public class AlertDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AlertDispatcher.class);

	private final AlertOutbox outbox;

	private final CredentialCipher cipher;

	private final AlertProperties properties;

	private final WebhookTargets targets;

	private final MeterRegistry meters;

	private final HttpClient operatorHttp;

	private final HttpClient tenantHttp;

	private final String node;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-alerts", true);

	private Disposable polling;

	public AlertDispatcher(AlertOutbox outbox, CredentialCipher cipher, AlertProperties properties) {
		this(outbox, cipher, properties, new WebhookTargets(properties.tenantWebhooks()), new SimpleMeterRegistry());
	}

	/**
	 * A worker.
	 * @param outbox the deliveries
	 * @param cipher decrypts the signing secrets
	 * @param properties tuning
	 * @param targets where tenants' webhooks may go
	 * @param meters where the delivery counter goes
	 */
	public AlertDispatcher(AlertOutbox outbox, CredentialCipher cipher, AlertProperties properties,
			WebhookTargets targets, MeterRegistry meters) {
		this.outbox = outbox;
		this.cipher = cipher;
		this.properties = properties;
		this.targets = targets;
		this.meters = meters;
		this.operatorHttp = HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.requestTimeout().toMillis())
			.responseTimeout(properties.requestTimeout())
			.followRedirect(false);
		this.tenantHttp = this.operatorHttp
			.resolver(new CheckedResolverGroup(targets, (task) -> Schedulers.boundedElastic().schedule(task)));
		String host = System.getenv("HOSTNAME");
		this.node = ((host != null && !host.isBlank()) ? host : "node") + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/** Starts polling. */
	public void start() {
		this.polling = Flux.interval(this.properties.pollInterval(), this.properties.pollInterval(), this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> dispatchDue().onErrorResume((ex) -> {
				logger.warn("Delivering alerts failed; will retry: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Delivers what is due now, once.
	 * @return how many deliveries were attempted
	 */
	public Mono<Integer> dispatchDue() {
		return this.outbox.claim(this.node, this.properties.batchSize(), this.properties.claimLease())
			.flatMapMany(Flux::fromIterable)
			.flatMap((claimed) -> deliver(claimed).thenReturn(claimed.id()), 4)
			.count()
			.map(Long::intValue);
	}

	/**
	 * Delivers what is due now, without waiting for the next poll, on a node that
	 * delivers.
	 */
	public void nudge() {
		if (!this.properties.enabled()) {
			return;
		}
		dispatchDue().subscribeOn(this.scheduler)
			.subscribe(null, (ex) -> logger.warn("Delivering alerts failed; will retry: {}", ex.toString()));
	}

	private Mono<Void> deliver(AlertOutbox.Claimed claimed) {
		boolean tenant = claimed.tenantId() != null;
		URI uri;
		try {
			uri = tenant ? this.targets.checkSyntax(claimed.url()) : URI.create(claimed.url());
		}
		catch (WebhookTargets.Refused ex) {
			return refused(claimed, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			return failed(claimed, null, "The URL is not valid");
		}
		return Mono.defer(() -> post(tenant ? this.tenantHttp : this.operatorHttp, uri, claimed))
			.timeout(this.properties.requestTimeout())
			.flatMap((status) -> (status >= 200 && status < 300) ? delivered(claimed, status)
					: failed(claimed, status,
							"HTTP " + status
									+ ((status >= 300 && status < 400) ? " (redirects are not followed)" : "")))
			.onErrorResume((ex) -> !(ex instanceof DataAccessException), (ex) -> {
				WebhookTargets.Refused refused = refusal(ex);
				return (refused != null) ? refused(claimed, refused.getMessage()) : failed(claimed, null, describe(ex));
			});
	}

	private Mono<Integer> post(HttpClient http, URI uri, AlertOutbox.Claimed claimed) {
		byte[] body = claimed.payload().getBytes(StandardCharsets.UTF_8);
		Instant now = Instant.now();
		long timestamp = now.getEpochSecond();
		List<String> secrets = claimed.encryptedSecrets(now).stream().map(this.cipher::decrypt).toList();
		return http
			.headers((headers) -> headers.set("content-type", "application/json")
				.set("user-agent", "Tollgate-Webhooks")
				.set(WebhookSignature.ID_HEADER, claimed.eventId())
				.set(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
				.set(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secrets, timestamp, body)))
			.post()
			.uri(uri)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
			// the answer's body is read and dropped: only the status matters
			.response((response, content) -> content.then(Mono.just(response.status().code())))
			.single();
	}

	private Mono<Void> delivered(AlertOutbox.Claimed claimed, int status) {
		count(claimed, "delivered");
		return this.outbox.delivered(claimed.id(), status);
	}

	private Mono<Void> refused(AlertOutbox.Claimed claimed, String reason) {
		count(claimed, "refused");
		logger.warn("Alert {} to endpoint {} of tenant {} refused, not sent: {}", claimed.eventId(),
				claimed.endpointId(), claimed.tenantId(), reason);
		return this.outbox.refused(claimed.id(), reason);
	}

	private Mono<Void> failed(AlertOutbox.Claimed claimed, Integer status, String error) {
		int attempts = claimed.attempts() + 1;
		Instant next = (attempts >= this.properties.maxAttempts()) ? null
				: Instant.now().plus(this.properties.backoff(attempts));
		count(claimed, (next != null) ? "retry" : "failed");
		if (next == null) {
			logger.warn("Alert {} to endpoint {} failed after {} attempts: {}", claimed.eventId(), claimed.endpointId(),
					attempts, error);
		}
		return this.outbox.attemptFailed(claimed.id(), status, error, next);
	}

	private void count(AlertOutbox.Claimed claimed, String outcome) {
		this.meters
			.counter("tollgate.alerts.deliveries", "outcome", outcome, "scope",
					(claimed.tenantId() != null) ? "tenant" : "operator")
			.increment();
	}

	private static WebhookTargets.Refused refusal(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof WebhookTargets.Refused refused) {
				return refused;
			}
		}
		return null;
	}

	private static String describe(Throwable ex) {
		Throwable cause = (ex.getCause() != null && ex.getMessage() == null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public void close() {
		if (this.polling != null) {
			this.polling.dispose();
		}
		this.scheduler.dispose();
	}

}
